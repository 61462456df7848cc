/*
 * check_core.c - error words, secret memory, process hardening.
 */
#include <check.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escrow.h"
#include "escrow_hazmat.h"

Suite *check_core_suite(void);

START_TEST(test_core_strerror_covers_codes)
{
	int codes[] = { ESCROW_OK, ESCROW_ERR_NOMEM, ESCROW_ERR_CHECKSUM,
	    ESCROW_ERR_MAC, ESCROW_ERR_P11_ATTRIBUTE, ESCROW_ERR_CHUNK_CONFLICT };
	size_t i;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		ck_assert_str_ne(escrow_strerror(codes[i]), "unknown error");
	ck_assert_str_eq(escrow_strerror(12345), "unknown error");
}
END_TEST

START_TEST(test_core_secret_alloc_zeroed_and_equal)
{
	uint8_t *a = escrow_secret_alloc(64), *b = escrow_secret_alloc(64);
	size_t i;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	for (i = 0; i < 64; i++)
		ck_assert_uint_eq(a[i], 0);
	ck_assert(escrow_equal(a, b, 64));
	b[63] = 1;
	ck_assert(!escrow_equal(a, b, 64));
	escrow_secret_free(a);
	escrow_secret_free(b);
	escrow_secret_free(NULL);
}
END_TEST

START_TEST(test_core_test_seed_is_deterministic)
{
	uint8_t seed[32] = { 1, 2, 3 }, x[40], y[40], z[40];

	escrow_random_set_test_seed(seed);
	escrow_random(x, sizeof x);
	escrow_random(z, sizeof z);
	escrow_random_set_test_seed(seed);
	escrow_random(y, sizeof y);
	escrow_random_set_test_seed(NULL);
	ck_assert_mem_eq(x, y, sizeof x);
	ck_assert_mem_ne(x, z, sizeof x);
	escrow_random(y, sizeof y);
	ck_assert_mem_ne(x, y, sizeof x);
}
END_TEST

START_TEST(test_core_harden_process)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rlimit rl;
		mode_t old;

		if (escrow_harden_process() != ESCROW_OK)
			_exit(10);
		if (getrlimit(RLIMIT_CORE, &rl) != 0 || rl.rlim_cur != 0 ||
		    rl.rlim_max != 0)
			_exit(11);
		if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
			_exit(12);
		old = umask(0);
		_exit(old == 077 ? 0 : 13);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

Suite *
check_core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_core_strerror_covers_codes);
	tcase_add_test(tc, test_core_secret_alloc_zeroed_and_equal);
	tcase_add_test(tc, test_core_test_seed_is_deterministic);
	tcase_add_test(tc, test_core_harden_process);
	suite_add_tcase(s, tc);
	return s;
}
