/* libFuzzer harness for the webshell taint engine: the first byte picks the language
 * (PHP, Java, VBScript, JScript, C#, VB.NET), the rest is the file. Any verdict is fine;
 * a crash, leak, hang or out-of-range score is not. */
#include "monitor/ws.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ws_result r;

	if (size < 1)
		return 0;
	enum ws_lang lang = (enum ws_lang)(1 + data[0] % 6);
	if (ws_analyze(lang, data + 1, size - 1, &r) != 0)
		return 0;
	if (r.score < 0 || r.score > 100 || r.nblobs > WS_MAX_BLOBS)
		abort();
	for (size_t i = 0; i < r.nblobs; i++)
		if (!r.blobs[i].data || !r.blobs[i].len)
			abort();
	ws_result_free(&r);
	return 0;
}
