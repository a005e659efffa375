/* libFuzzer harness: the district resolver and scanner on data/ of the source tree. */
#include "targets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tr_districts *reg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	reg = tr_fuzz_load_districts(TR_DATADIR_SOURCE);
	if (!reg) {
		fprintf(stderr, "fuzz_district: cannot load %s\n", TR_DATADIR_SOURCE);
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tr_fuzz_district(reg, data, size);
	return 0;
}
