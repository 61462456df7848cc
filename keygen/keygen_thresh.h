/*
 * keygen_thresh.h - escrow-keygen --threshold (keygen/thresh.c), reached
 * from keygen.c's main() before its own option parsing.
 */
#ifndef ESCROW_KEYGEN_THRESH_H
#define ESCROW_KEYGEN_THRESH_H

/* Does the command line ask for a threshold key? */
int kg_thresh_wanted(int argc, char **argv);
/* The whole of escrow-keygen --threshold; returns the exit status. */
int kg_thresh_main(int argc, char **argv);

#endif
