/* libFuzzer harness: the fodf target of targets.h. */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tr_fuzz_fodf(data, size);
	return 0;
}
