/*
 * The static files of web/ compiled into the binary (the table is generated
 * at build time by server/assets.cmake).
 */
#ifndef TR_SERVER_ASSETS_H
#define TR_SERVER_ASSETS_H

#include <stddef.h>

typedef struct tr_asset {
	const char *name;              /* file name in web/, e.g. "style.css" */
	const char *etag;              /* start of the file's SHA-256, hex */
	const unsigned char *data;     /* followed by a NUL not counted in size */
	size_t size;
} tr_asset;

/* Ends with an entry whose name is NULL. */
extern const tr_asset tr_assets[];

/* The asset called @name, or NULL. */
const tr_asset *tr_asset_find(const char *name);

/* Its Content-Type, from the file name's extension. */
const char *tr_asset_type(const tr_asset *a);

#endif
