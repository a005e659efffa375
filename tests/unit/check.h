/*
 * A minimal harness for the table-driven unit tests: CHECK() records a
 * failure with file and line and goes on, check_done() prints the closing
 * line ("N passed, N failed") and gives main's exit status.
 */
#ifndef TR_CHECK_H
#define TR_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond) check_((cond), #cond, __FILE__, __LINE__, NULL)
#define CHECK_MSG(cond, ...) do { \
	char check_msg_[512]; \
	snprintf(check_msg_, sizeof check_msg_, __VA_ARGS__); \
	check_((cond), #cond, __FILE__, __LINE__, check_msg_); \
} while (0)
#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	CHECK_MSG(g_ && w_ && strcmp(g_, w_) == 0, "got \"%s\", want \"%s\"", \
	          g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

static inline void
check_(int ok, const char *expr, const char *file, int line, const char *msg)
{
	if (ok) {
		check_passed++;
		return;
	}
	check_failed++;
	fprintf(stderr, "%s:%d: check failed: %s%s%s\n", file, line, expr,
	        msg ? ": " : "", msg ? msg : "");
}

static inline int
check_done(void)
{
	printf("%d passed, %d failed\n", check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
