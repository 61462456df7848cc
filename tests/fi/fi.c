/*
 * fi.c - a fault-injection PKCS#11 module, for tests only.  It loads a
 * real module (ESCROW_FI_MODULE, default SoftHSM), hands its callers the
 * real function list with every function wrapped, counts the calls of
 * each function, and can fail one chosen call:
 *
 *   ESCROW_FI_FUNC=C_UnwrapKey  the function to fail (unset: fail nothing)
 *   ESCROW_FI_COUNT=3           its 3rd call fails (default 1)
 *   ESCROW_FI_RV=CKR_DEVICE_ERROR  the CKR_ name or number returned
 *                               (default CKR_DEVICE_ERROR)
 *   ESCROW_FI_ALSO=C_DestroyObject:2+,C_Logout:1
 *                               more calls to fail: NAME:N fails the Nth
 *                               call, NAME:N+ the Nth and every later one
 *   ESCROW_FI_LOG=FILE          append "C_Name N" for every call (N: that
 *                               function's call number), "C_Name N FAILED"
 *                               for the failed one
 *   ESCROW_FI_PROFILE=P,...     behave like a vendor's HSM (fi_profile.c:
 *                               unwrap-only, no-plain-aes, luna-kwp, v240,
 *                               merge-id, network, attr-stop)
 *   ESCROW_FI_DELAY_US=N        every call takes N microseconds longer
 *                               (profile network: 2000)
 *   ESCROW_FI_KILL=N            the Nth call of any function (line N of
 *                               ESCROW_FI_LOG) kills the process with
 *                               SIGKILL before the real module sees it:
 *                               a crash at a chosen point (t_crash.sh)
 *
 * Thread-safe (counters are atomic; the delay is slept outside any lock),
 * so that parallel sessions can be measured through it.
 * The failed call is not passed on: the real module never sees it.
 * Secrets: the arguments pass through untouched and are never logged
 * (only function names and counts are).
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <p11-kit/pkcs11.h>

#include "fi_profile.h"

enum {
#define FI_CALL(name, params, args) FI_##name,
#include "fi_calls.h"
#undef FI_CALL
	FI_NFUNCS
};

static const char *const fi_names[FI_NFUNCS] = {
#define FI_CALL(name, params, args) #name,
#include "fi_calls.h"
#undef FI_CALL
};

static CK_FUNCTION_LIST *real;
static CK_FUNCTION_LIST wrapped;
static unsigned long calls[FI_NFUNCS];
static unsigned long total_calls;

static const struct {
	const char *name;
	CK_RV rv;
} rv_names[] = {
	{ "CKR_GENERAL_ERROR", CKR_GENERAL_ERROR },
	{ "CKR_HOST_MEMORY", CKR_HOST_MEMORY },
	{ "CKR_FUNCTION_FAILED", CKR_FUNCTION_FAILED },
	{ "CKR_DEVICE_ERROR", CKR_DEVICE_ERROR },
	{ "CKR_DEVICE_MEMORY", CKR_DEVICE_MEMORY },
	{ "CKR_DEVICE_REMOVED", CKR_DEVICE_REMOVED },
	{ "CKR_SESSION_HANDLE_INVALID", CKR_SESSION_HANDLE_INVALID },
	{ "CKR_TOKEN_NOT_PRESENT", CKR_TOKEN_NOT_PRESENT },
	{ "CKR_MECHANISM_INVALID", CKR_MECHANISM_INVALID },
	{ "CKR_TEMPLATE_INCONSISTENT", CKR_TEMPLATE_INCONSISTENT },
	{ "CKR_ATTRIBUTE_VALUE_INVALID", CKR_ATTRIBUTE_VALUE_INVALID },
	{ "CKR_PIN_INCORRECT", CKR_PIN_INCORRECT },
};

static void
fi_log(const char *name, unsigned long n, int failed)
{
	const char *path = getenv("ESCROW_FI_LOG");
	char line[96];
	int fd, len;

	if (path == NULL || *path == '\0')
		return;
	len = snprintf(line, sizeof line, "%s %lu%s\n", name, n,
	    failed ? " FAILED" : "");
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)len) != len)
		(void)0; /* a test log: nothing better to do */
	close(fd);
}

static CK_RV
fi_rv(void)
{
	const char *s = getenv("ESCROW_FI_RV");
	char *end;
	size_t i;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return CKR_DEVICE_ERROR;
	for (i = 0; i < sizeof rv_names / sizeof rv_names[0]; i++)
		if (strcmp(s, rv_names[i].name) == 0)
			return rv_names[i].rv;
	v = strtoul(s, &end, 0);
	return *end == '\0' ? v : CKR_GENERAL_ERROR;
}

/* Is call n of name in ESCROW_FI_ALSO ("NAME:N" or "NAME:N+", comma-separated)? */
static int
fi_also(const char *name, unsigned long n)
{
	const char *s = getenv("ESCROW_FI_ALSO"), *colon;
	size_t len = strlen(name);
	unsigned long want;
	char *end;

	for (; s != NULL && *s != '\0'; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL) {
		colon = strchr(s, ':');
		if (colon == NULL)
			return 0;
		want = strtoul(colon + 1, &end, 10);
		if ((size_t)(colon - s) == len && strncmp(s, name, len) == 0 &&
		    (n == want || (*end == '+' && n > want)))
			return 1;
	}
	return 0;
}

/* Count this call; 1 and *rv set if it is the one to fail. */
static int
fi_fail(int f, CK_RV *rv)
{
	const char *func = getenv("ESCROW_FI_FUNC"), *cs = getenv("ESCROW_FI_COUNT");
	const char *ks = getenv("ESCROW_FI_KILL");
	unsigned long n = __atomic_add_fetch(&calls[f], 1, __ATOMIC_RELAXED), want = 1;
	unsigned long all = __atomic_add_fetch(&total_calls, 1, __ATOMIC_SEQ_CST);
	int fail;

	if (ks != NULL && *ks != '\0' && strtoul(ks, NULL, 10) == all)
		kill(getpid(), SIGKILL);

	if (cs != NULL && *cs != '\0')
		want = strtoul(cs, NULL, 10);
	fail = func != NULL && strcmp(func, fi_names[f]) == 0 && n == want;
	fail |= fi_also(fi_names[f], n);
	fi_log(fi_names[f], n, fail);
	if (fail)
		*rv = fi_rv();
	return fail;
}

/* profile network: the round trip of every call */
static void
fi_delay(void)
{
	unsigned long us = fi_profile_delay_us();
	struct timespec ts;

	if (us == 0)
		return;
	ts.tv_sec = (time_t)(us / 1000000);
	ts.tv_nsec = (long)(us % 1000000) * 1000;
	while (nanosleep(&ts, &ts) != 0)
		;
}

#define FI_CALL(name, params, args)                                     \
	static CK_RV fi_##name params                                   \
	{                                                               \
		CK_RV rv;                                               \
		if (fi_fail(FI_##name, &rv))                            \
			return rv;                                      \
		fi_delay();                                             \
		return real->name args;                                 \
	}
#include "fi_calls.h"
#undef FI_CALL

/* the one symbol the module exports (built with -fvisibility=hidden) */
__attribute__((visibility("default")))
CK_RV
C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list)
{
	const char *path = getenv("ESCROW_FI_MODULE");
	CK_C_GetFunctionList get;
	void *h;
	CK_RV rv;

	if (list == NULL)
		return CKR_ARGUMENTS_BAD;
	if (real == NULL) {
		if (path == NULL || *path == '\0')
			path = "/usr/lib/softhsm/libsofthsm2.so";
		h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (h == NULL)
			return CKR_GENERAL_ERROR;
		*(void **)&get = dlsym(h, "C_GetFunctionList");
		if (get == NULL)
			return CKR_GENERAL_ERROR;
		if ((rv = get(&real)) != CKR_OK)
			return rv;
		wrapped = *real;
#define FI_CALL(name, params, args) wrapped.name = fi_##name;
#include "fi_calls.h"
#undef FI_CALL
		wrapped.C_GetFunctionList = C_GetFunctionList;
	}
	fi_profile_install(&wrapped, real);
	*list = &wrapped;
	return CKR_OK;
}
