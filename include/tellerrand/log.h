/* The one logging callback: the library never prints, it reports here. */
#ifndef TELLERRAND_LOG_H
#define TELLERRAND_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tr_log_level {
	TR_LOG_ERROR,
	TR_LOG_WARN,      /* a file was skipped or a value ignored */
	TR_LOG_INFO,      /* a file was indexed */
	TR_LOG_DEBUG      /* how metadata was decided */
} tr_log_level;

typedef void (*tr_log_fn)(tr_log_level level, const char *msg, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
