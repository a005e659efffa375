/* libFuzzer harness: the query text as typed, on data/ of the source tree. */
#include "targets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tr_districts *reg;
static tr_topics *topics;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	reg = tr_fuzz_load_districts(TR_DATADIR_SOURCE);
	topics = tr_fuzz_load_topics(TR_DATADIR_SOURCE);
	if (!reg || !topics) {
		fprintf(stderr, "fuzz_query: cannot load %s\n", TR_DATADIR_SOURCE);
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tr_fuzz_query(reg, topics, data, size);
	return 0;
}
