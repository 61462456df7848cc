/*
 * fi_profile.h - the vendor profiles of the fault-injection module
 * (fi_profile.c), as fi.c calls them.  No secrets.
 */
#ifndef FI_PROFILE_H
#define FI_PROFILE_H

#include <p11-kit/pkcs11.h>

/* Read ESCROW_FI_PROFILE and ESCROW_FI_DELAY_US; replace the functions
 * the profiles change in *wrapped (which then call the previous
 * entries); real is the wrapped module itself. */
void fi_profile_install(CK_FUNCTION_LIST *wrapped, CK_FUNCTION_LIST *real);

/* Microseconds every call sleeps (profile `network'); 0: none. */
unsigned long fi_profile_delay_us(void);

#endif
