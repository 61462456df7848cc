/*
 * combine_thresh.h - escrow-combine's threshold subcommands (partial,
 * assemble, audit --params; combine/thresh.c), reached from main()
 * before the restore side's option parsing.
 */
#ifndef ESCROW_COMBINE_THRESH_H
#define ESCROW_COMBINE_THRESH_H

/* Is this a threshold subcommand? */
int cb_thresh_wanted(int argc, char **argv);
/* Run it; returns the exit status. */
int cb_thresh_main(int argc, char **argv);

#endif
