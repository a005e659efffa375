/* libFuzzer harness: the image target of targets.h (the decoding under OCR). */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tr_fuzz_image(data, size);
	return 0;
}
