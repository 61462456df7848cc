/*
 * check_gf256.c - GF(2^8) modulo 0x11B: the FIPS-197 products, and every
 * product and inverse against a plain reference.  Test data only.
 */
#include <check.h>
#include <stdint.h>

#include "slip39_gf256.h"
#include "testutil.h"

Suite *check_gf256_suite(void);

/* reference multiply: the textbook loop, branches and all */
static uint8_t
ref_mul(uint8_t a, uint8_t b)
{
	uint8_t r = 0;

	while (b != 0) {
		if (b & 1)
			r ^= a;
		a = (uint8_t)((a & 0x80) ? (a << 1) ^ 0x1B : a << 1);
		b >>= 1;
	}
	return r;
}

START_TEST(test_gf256_fips197_products)
{
	struct json_object *j = tu_load_json(tu_vector_path("shamir-gf256/kat.json"));
	struct json_object *arr, *e, *v;
	size_t i, n;
	uint8_t a, b, p;

	ck_assert(json_object_object_get_ex(j, "field_mult_kat_0x11b", &arr));
	n = json_object_array_length(arr);
	ck_assert_uint_eq(n, 3);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(arr, i);
		ck_assert(json_object_object_get_ex(e, "a", &v));
		ck_assert_int_eq(tu_unhex(json_object_get_string(v), &a, 1), 1);
		ck_assert(json_object_object_get_ex(e, "b", &v));
		ck_assert_int_eq(tu_unhex(json_object_get_string(v), &b, 1), 1);
		ck_assert(json_object_object_get_ex(e, "product", &v));
		ck_assert_int_eq(tu_unhex(json_object_get_string(v), &p, 1), 1);
		ck_assert_uint_eq(escrow_gf256_mul(a, b), p);
		ck_assert_uint_eq(escrow_gf256_mul(b, a), p);
	}
	/* the FIPS-197 figures themselves, should the file ever change */
	ck_assert_uint_eq(escrow_gf256_mul(0x57, 0x83), 0xc1);
	ck_assert_uint_eq(escrow_gf256_mul(0x57, 0x13), 0xfe);
	ck_assert_uint_ne(escrow_gf256_mul(0x57, 0x83), 0x31); /* 0x11D's answer */
	json_object_put(j);
}
END_TEST

START_TEST(test_gf256_mul_matches_reference)
{
	unsigned a, b;

	for (a = 0; a < 256; a++)
		for (b = 0; b < 256; b++)
			ck_assert_uint_eq(escrow_gf256_mul((uint8_t)a, (uint8_t)b),
			    ref_mul((uint8_t)a, (uint8_t)b));
}
END_TEST

START_TEST(test_gf256_inverse_every_element)
{
	unsigned a;

	ck_assert_uint_eq(escrow_gf256_inv(0), 0);
	ck_assert_uint_eq(escrow_gf256_inv(1), 1);
	ck_assert_uint_eq(escrow_gf256_inv(0x53), 0xca); /* FIPS-197 5.1.1 */
	for (a = 1; a < 256; a++) {
		uint8_t i = escrow_gf256_inv((uint8_t)a);

		ck_assert_uint_eq(escrow_gf256_mul((uint8_t)a, i), 1);
		ck_assert_uint_eq(escrow_gf256_div(1, (uint8_t)a), i);
		ck_assert_uint_eq(escrow_gf256_div((uint8_t)a, (uint8_t)a), 1);
	}
	ck_assert_uint_eq(escrow_gf256_add(0x57, 0x83), 0xd4);
}
END_TEST

Suite *
check_gf256_suite(void)
{
	Suite *s = suite_create("gf256");
	TCase *tc = tcase_create("gf256");

	tcase_add_test(tc, test_gf256_fips197_products);
	tcase_add_test(tc, test_gf256_mul_matches_reference);
	tcase_add_test(tc, test_gf256_inverse_every_element);
	suite_add_tcase(s, tc);
	return s;
}
