/* Unit tests for inventory/register: scans kept whole, observations merged per
 * port, wire text escaped, the current view refreshed only by closed scans, and
 * bad observations refused, on a real SQLite store. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "../helpers/tstore.h"
#include "core/store.h"
#include "inventory/assets_print.h"
#include "inventory/register.h"

struct fixture {
	struct tstore ts;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || tstore_open(&f->ts, "reg") != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	tstore_remove(&f->ts);
	free(f);
	return 0;
}

static json_t *
query(struct fixture *f, const char *sql)
{
	json_t *rows = NULL;
	assert_int_equal(store_query(f->ts.st, sql, NULL, 0, 0, &rows), VG_OK);
	return rows;
}

static const char *
str(json_t *rows, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(rows, i), key));
}

static void
test_scan_is_kept_and_observations_merge(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;
	struct inv_obs open = { .address = "192.0.2.10", .port = 22 };
	struct inv_obs ssh = { .address = "192.0.2.10", .port = 22, .service = "ssh",
		.product = "OpenSSH", .version = "9.2p1", .banner = "SSH-2.0-OpenSSH_9.2p1\r\n",
		.http_title = "C:\\admin \x1b[31m\xff 门户" };
	struct inv_obs alive = { .address = "192.0.2.11", .hostname = "b.example" };

	assert_int_equal(register_scan_begin(f->ts.st, "192.0.2.0/24 -p 22", 1000, &id), VG_OK);
	assert_true(id > 0);
	assert_int_equal(register_scan_add(f->ts.st, id, &open), VG_OK);
	assert_int_equal(register_scan_add(f->ts.st, id, &ssh), VG_OK);
	/* the bare "open" again must not wipe what identification added */
	assert_int_equal(register_scan_add(f->ts.st, id, &open), VG_OK);
	assert_int_equal(register_scan_add(f->ts.st, id, &alive), VG_OK);

	json_t *rows = query(f, "SELECT * FROM scan_services ORDER BY id");
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(str(rows, 0, "product"), "OpenSSH");
	assert_string_equal(str(rows, 0, "state"), "open");
	/* wire text is stored as sent (valid UTF-8: a stray byte becomes U+FFFD); it is
	 * escaped once, where it is printed */
	assert_string_equal(str(rows, 0, "banner"), "SSH-2.0-OpenSSH_9.2p1\r\n");
	assert_string_equal(str(rows, 0, "http_title"), "C:\\admin \x1b[31m\xef\xbf\xbd 门户");
	/* printed through the sanitiser exactly once */
	{
		char out[4096] = "";
		FILE *mf = fmemopen(out, sizeof(out) - 1, "w");
		json_t *a = json_pack("{s:s, s:[O]}", "address", "192.0.2.10", "services",
		    json_array_get(rows, 0));
		assert_non_null(mf);
		assets_print_show(mf, a);
		fclose(mf);
		json_decref(a);
		assert_non_null(strstr(out, "http_title=C:\\\\admin \\x1b[31m\xef\xbf\xbd 门户"));
	}
	json_decref(rows);

	/* not in the current view until the scan is closed */
	rows = query(f, "SELECT * FROM services");
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);

	assert_int_equal(register_scan_end(f->ts.st, id, 2000, "done"), VG_OK);
	rows = query(f, "SELECT s.port, s.product, a.address, a.declared, a.last_seen"
			" FROM services s JOIN assets a ON a.id = s.asset_id");
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(str(rows, 0, "address"), "192.0.2.10");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "declared")),
	    0);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "last_seen")),
	    2000);
	json_decref(rows);
	rows = query(f, "SELECT hosts, open_ports, status FROM scans");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "hosts")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(rows, 0), "open_ports")), 1);
	json_decref(rows);

	/* a closed scan takes no more observations and cannot be closed twice */
	assert_int_equal(register_scan_add(f->ts.st, id, &ssh), VG_ERR_INVAL);
	assert_int_equal(register_scan_end(f->ts.st, id, 3000, "done"), VG_ERR_INVAL);
}

static void
test_bad_observations_are_refused(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;
	struct inv_obs noaddr = { .port = 80 };
	struct inv_obs badport = { .address = "192.0.2.1", .port = 65536 };
	struct inv_obs badproto = { .address = "192.0.2.1", .port = 80, .proto = "sctp" };
	struct inv_obs badstate = { .address = "192.0.2.1", .port = 80, .state = "maybe" };
	struct inv_obs good = { .address = "192.0.2.1", .port = 80 };

	assert_int_equal(register_scan_begin(f->ts.st, NULL, 1, &id), VG_OK);
	assert_int_equal(register_scan_add(f->ts.st, id, &noaddr), VG_ERR_INVAL);
	assert_int_equal(register_scan_add(f->ts.st, id, &badport), VG_ERR_INVAL);
	assert_int_equal(register_scan_add(f->ts.st, id, &badproto), VG_ERR_INVAL);
	assert_int_equal(register_scan_add(f->ts.st, id, &badstate), VG_ERR_INVAL);
	assert_int_equal(register_scan_add(f->ts.st, id + 99, &good), VG_ERR_INVAL);
	assert_int_equal(register_scan_end(f->ts.st, id, 2, "finished"), VG_ERR_INVAL);
	assert_int_equal(register_scan_origin(f->ts.st, id, "10.0.0.5"), VG_OK);
	assert_int_equal(register_scan_end(f->ts.st, id, 2, "failed"), VG_OK);
	assert_int_equal(register_scan_origin(f->ts.st, id, "10.0.0.5"), VG_ERR_INVAL);
}

static void
test_declared_name_takes_observations_of_its_address(void **state)
{
	struct fixture *f = *state;
	int64_t id = 0;
	struct inv_obs web = { .address = "192.0.2.80", .hostname = "www.example.org",
		.port = 443, .service = "https" };

	assert_int_equal(store_exec(f->ts.st,
			     "INSERT INTO assets(address, declared) VALUES('www.example.org', 1)",
			     NULL, 0, NULL, NULL),
	    VG_OK);
	assert_int_equal(register_scan_begin(f->ts.st, "www.example.org", 1, &id), VG_OK);
	assert_int_equal(register_scan_add(f->ts.st, id, &web), VG_OK);
	assert_int_equal(register_scan_end(f->ts.st, id, 5, "done"), VG_OK);
	json_t *rows = query(f, "SELECT address, last_seen FROM assets");
	assert_int_equal(json_array_size(rows), 1);
	assert_string_equal(str(rows, 0, "address"), "www.example.org");
	json_decref(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan_is_kept_and_observations_merge, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_observations_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_declared_name_takes_observations_of_its_address,
		    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
