/*
 * ksr_time.c - the KSR's times: xsd:dateTime (UTC) and xsd:duration
 * (days, hours, minutes, seconds, weeks) read strictly and written as
 * IANA's tools write them.  Public data only.
 */
#include <stdio.h>
#include <string.h>

#include "escrow_ksr.h"

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
digits(const char *s, int n, unsigned *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return 0;
}

static int
leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
escrow_ksr_parse_datetime(const char *s, int64_t *t)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	unsigned y, mo, d, h, mi, se;
	const char *z;

	if (strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' ||
	    digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se))
		return ESCROW_ERR_FORMAT;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 ||
	    se > 59)
		return ESCROW_ERR_FORMAT;
	z = s + 19;
	if (*z == '.') { /* fractions of a second: only zeros */
		z++;
		if (*z < '0' || *z > '9')
			return ESCROW_ERR_FORMAT;
		while (*z == '0')
			z++;
	}
	if (!(*z == '\0' || strcmp(z, "Z") == 0 || strcmp(z, "+00:00") == 0 ||
	    strcmp(z, "-00:00") == 0))
		return ESCROW_ERR_FORMAT; /* only UTC: a root KSR has no zones */
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	return ESCROW_OK;
}

void
escrow_ksr_format_datetime(int64_t t, char out[static 32])
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t sec = t - days * 86400;
	unsigned m, d;
	int y;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%04d-%02u-%02uT%02u:%02u:%02u+00:00", y, m, d,
	    (unsigned)(sec / 3600), (unsigned)(sec / 60 % 60),
	    (unsigned)(sec % 60));
}

int
escrow_ksr_parse_duration(const char *s, int64_t *secs)
{
	int64_t total = 0;
	int in_time = 0, any = 0;
	const char *c = s;
	/* each unit at most once and in order */
	const char *order = "WDHMS";
	const char *last = order;

	if (*c++ != 'P')
		return ESCROW_ERR_FORMAT;
	while (*c) {
		uint64_t v = 0;
		int nd = 0;
		const char *u;
		int64_t mult;

		if (*c == 'T') {
			if (in_time)
				return ESCROW_ERR_FORMAT;
			in_time = 1;
			c++;
			if (*c == '\0')
				return ESCROW_ERR_FORMAT;
			continue;
		}
		while (*c >= '0' && *c <= '9') {
			v = v * 10 + (uint64_t)(*c++ - '0');
			if (++nd > 9)
				return ESCROW_ERR_FORMAT;
		}
		if (nd == 0 || *c == '\0')
			return ESCROW_ERR_FORMAT;
		u = strchr(order, *c);
		if (u == NULL || u < last)
			return ESCROW_ERR_FORMAT;
		if ((*c == 'W' || *c == 'D') ? in_time : !in_time)
			return ESCROW_ERR_FORMAT;
		mult = *c == 'W' ? 604800 : *c == 'D' ? 86400 : *c == 'H' ? 3600 :
		    *c == 'M' ? 60 : 1;
		total += (int64_t)v * mult;
		last = u + 1;
		any = 1;
		c++;
	}
	if (!any)
		return ESCROW_ERR_FORMAT;
	*secs = total;
	return ESCROW_OK;
}

void
escrow_ksr_format_duration(int64_t secs, char out[static 48])
{
	int64_t days = secs / 86400, rem = secs % 86400;
	size_t n = 0;

	if (secs <= 0) {
		snprintf(out, 48, "PT0S");
		return;
	}
	n += (size_t)snprintf(out, 48, "P");
	if (days)
		n += (size_t)snprintf(out + n, 48 - n, "%lldD", (long long)days);
	if (rem) {
		n += (size_t)snprintf(out + n, 48 - n, "T");
		if (rem >= 3600)
			n += (size_t)snprintf(out + n, 48 - n, "%lldH",
			    (long long)(rem / 3600));
		if (rem % 3600 >= 60)
			n += (size_t)snprintf(out + n, 48 - n, "%lldM",
			    (long long)(rem % 3600 / 60));
		if (rem % 60)
			snprintf(out + n, 48 - n, "%lldS", (long long)(rem % 60));
	}
}
