/*
 * check_media.c - the medium a directory lives on (tools/media.c): the
 * decision from statfs(2) values and sysfs flags, and the look-up on real
 * directories of this machine (a not-yet-existing one included).  The
 * refusal itself, through the real binaries on a USB stick, is tested by
 * the kiosk's self-test (live-image/, `make live-test').  Test data only.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>

#include "../tools/media.h"
#include "testutil.h"

Suite *check_media_suite(void);

START_TEST(test_media_network_types)
{
	/* statfs(2) / linux/magic.h values */
	static const unsigned long net[] = { 0x6969, 0x517B, 0xFF534D42, 0xFE534D42,
	    0x01021997, 0x65735546, 0x5346414F, 0x00C36400 };
	size_t i;

	for (i = 0; i < sizeof net / sizeof net[0]; i++) {
		ck_assert_int_eq(tool_media_decide(net[i], 0, 0), TOOL_MEDIA_NETWORK);
		/* a network or FUSE mount says nothing of a device: still refused */
		ck_assert_int_eq(tool_media_decide(net[i], 1, 1), TOOL_MEDIA_NETWORK);
		ck_assert_ptr_nonnull(tool_media_netfs_name(net[i]));
	}
	ck_assert_str_eq(tool_media_netfs_name(0x6969), "NFS");
	ck_assert_str_eq(tool_media_netfs_name(0xFE534D42), "SMB2");
	ck_assert_str_eq(tool_media_netfs_name(0x01021997), "9p");
	ck_assert_str_eq(tool_media_netfs_name(0x65735546), "FUSE");
	/* a 32-bit f_type sign-extended into a long */
	ck_assert_str_eq(tool_media_netfs_name((unsigned long)(long)(int)0xFF534D42), "CIFS");
}
END_TEST

START_TEST(test_media_block_devices)
{
	const unsigned long ext4 = 0xEF53, vfat = 0x4d44, tmpfs = 0x01021994,
	    exfat = 0x2011BAB0;

	ck_assert_int_eq(tool_media_decide(ext4, 0, 0), TOOL_MEDIA_LOCAL);
	ck_assert_int_eq(tool_media_decide(tmpfs, 0, 0), TOOL_MEDIA_LOCAL);
	/* an SD card in a built-in reader: removable, not USB */
	ck_assert_int_eq(tool_media_decide(vfat, 1, 0), TOOL_MEDIA_REMOVABLE);
	/* a USB stick or SSD that calls itself fixed: USB is enough */
	ck_assert_int_eq(tool_media_decide(exfat, 0, 1), TOOL_MEDIA_REMOVABLE);
	ck_assert_int_eq(tool_media_decide(ext4, 1, 1), TOOL_MEDIA_REMOVABLE);
	ck_assert_ptr_null(tool_media_netfs_name(ext4));
	ck_assert_ptr_null(tool_media_netfs_name(vfat));
	ck_assert_ptr_null(tool_media_netfs_name(tmpfs));
}
END_TEST

START_TEST(test_media_real_directories)
{
	char what[160], what2[160], path[4096];
	struct statfs sf;
	int m;

	/* the build directory: this machine's own disk (or RAM) */
	m = tool_media_of(ESCROW_BUILD, what, sizeof what);
	ck_assert_msg(m == TOOL_MEDIA_LOCAL, "%s: medium %d (%s)", ESCROW_BUILD, m, what);
	ck_assert(what[0] != '\0');
	/* not there yet: its nearest existing parent decides */
	snprintf(path, sizeof path, "%s/no/such/dir/", ESCROW_BUILD);
	m = tool_media_of(path, what2, sizeof what2);
	ck_assert_int_eq(m, TOOL_MEDIA_LOCAL);
	ck_assert_str_eq(what, what2);
	/* a file system with no block device: named as memory */
	ck_assert_int_eq(statfs("/proc", &sf), 0);
	ck_assert_int_eq(tool_media_of("/proc/self", what, sizeof what), TOOL_MEDIA_LOCAL);
	ck_assert_str_eq(what, "memory or a local disk");
	ck_assert_int_eq(tool_media_of("relative/not/there", what, sizeof what),
	    TOOL_MEDIA_LOCAL);
	ck_assert_int_eq(tool_media_of("", what, sizeof what), TOOL_MEDIA_LOCAL);
}
END_TEST

Suite *
check_media_suite(void)
{
	Suite *s = suite_create("media");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_media_network_types);
	tcase_add_test(tc, test_media_block_devices);
	tcase_add_test(tc, test_media_real_directories);
	suite_add_tcase(s, tc);
	return s;
}
