/*
 * secretdirs.c - no secret files on a removable or network medium (see
 * secretdirs.h).  The check runs while the command line is read, before
 * anything is generated, so a refusal costs nothing.  Public data only.
 */
#include "ceremony.h"
#include "media.h"
#include "options.h"
#include "secretdirs.h"

static int
check_one(const char *option, const char *dir, const char *what_goes)
{
	char what[160];
	int m = tool_media_of(dir, what, sizeof what);

	if (m == TOOL_MEDIA_LOCAL)
		return 0;
	if (m < 0)
		tool_bad_usage("%s: cannot tell what medium `%s' is on (%s), and %s are "
		    "secret: name a directory in RAM or on a fixed disk", option, dir, what,
		    what_goes);
	else
		tool_bad_usage("%s: `%s' is on %s (%s): %s are secret and must not leave "
		    "this machine; print them with --print QUEUE, or name a directory in "
		    "RAM or on a fixed disk (only for a test: --allow-removable-secrets)",
		    option, dir, m == TOOL_MEDIA_NETWORK ? "a network file system" :
		    "a removable device", what, what_goes);
	return -1;
}

int
tool_secret_dirs_check(const struct tool_ceremony *c)
{
	if (c->allow_removable_secrets)
		return 0;
	if (c->paper.pdf && c->outdir != NULL &&
	    check_one("--pdf", c->outdir, "the share sheets it writes there") != 0)
		return -1;
	if (c->shares_out != NULL &&
	    check_one("--shares-out", c->shares_out, "the share files") != 0)
		return -1;
	return 0;
}
