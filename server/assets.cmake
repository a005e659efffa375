# Turns the files of web/ into a C source with one byte array per file, so
# that `tellerrand serve` needs no files beside the binary and no CDN.
# Run by the build (see CMakeLists.txt) as
#   cmake -DWEB_DIR=<dir> -DOUT=<file.c> -P server/assets.cmake
# The output lives in the build tree only; it is never committed.
cmake_minimum_required(VERSION 3.18)

file(GLOB files RELATIVE "${WEB_DIR}" "${WEB_DIR}/*")
list(SORT files)

set(body "")
set(table "")
set(n 0)
foreach(name ${files})
	if(IS_DIRECTORY "${WEB_DIR}/${name}" OR name MATCHES "^\\.")
		continue()
	endif()
	if(NOT name MATCHES "^[A-Za-z0-9._-]+$")
		message(FATAL_ERROR "web/${name}: asset names use letters, digits, '.', '_' and '-' only")
	endif()
	file(READ "${WEB_DIR}/${name}" hex HEX)
	file(SHA256 "${WEB_DIR}/${name}" sum)
	string(SUBSTRING "${sum}" 0 12 etag)
	string(LENGTH "${hex}" hexlen)
	math(EXPR size "${hexlen} / 2")
	# Sixteen bytes a line keeps the generated file readable in a debugger.
	string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
	string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n\t" bytes "${bytes}")
	# A trailing NUL: C allows no empty array, and text assets stay C strings.
	string(APPEND body "static const unsigned char asset_${n}[] = {\n\t${bytes}0x00\n};\n")
	string(APPEND table "\t{ \"${name}\", \"${etag}\", asset_${n}, ${size} },\n")
	math(EXPR n "${n} + 1")
endforeach()

set(out "/* Generated from web/ by server/assets.cmake: do not edit, do not commit. */\n")
string(APPEND out "#include \"assets.h\"\n\n${body}\n")
string(APPEND out "const tr_asset tr_assets[] = {\n${table}\t{ NULL, NULL, NULL, 0 }\n};\n")
file(WRITE "${OUT}.tmp" "${out}")
# Only a changed file touches the output, so an unchanged web/ rebuilds nothing.
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
