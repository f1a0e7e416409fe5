/* Unit tests for the one SHA-256 and hex writer: the FIPS 180-2 vectors, so a
 * swapped provider or a hex slip changes every stored object name and shows here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/err.h"
#include "core/sha256.h"

static void
test_known_vectors(void **state)
{
	(void)state;
	char hex[VG_SHA256_HEX];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	assert_int_equal(vg_sha256_hex("abc", 3, hex), VG_OK);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(vg_sha256_hex(two, strlen(two), hex), VG_OK);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_int_equal(vg_sha256_hex("", 0, hex), VG_OK);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_hex_is_lower_case_and_terminated(void **state)
{
	(void)state;
	const unsigned char in[] = { 0x00, 0x0f, 0xa0, 0xff };
	char out[2 * sizeof(in) + 1];

	memset(out, 'X', sizeof(out));
	vg_hex(in, sizeof(in), out);
	assert_string_equal(out, "000fa0ff");
	vg_hex(in, 0, out);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_hex_is_lower_case_and_terminated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
