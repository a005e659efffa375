/* Spreadsheet cells as the sheet shows them (indexer/sheet.h): number formats and serial dates. */
#include <string.h>

#include "check.h"
#include "sheet.h"

static int
shows(double v, bool date1904, tr__sheet_kind kind, const char *want)
{
	char out[TR__SHEET_NUMBER_MAX];

	tr__sheet_serial(out, v, date1904, kind);
	if (strcmp(out, want) != 0) {
		fprintf(stderr, "%.10g shown as '%s', want '%s'\n", v, out, want);
		return 0;
	}
	return 1;
}

int
main(void)
{
	/* Format codes: German and English letters, escapes, quoted text, sections. */
	CHECK(tr__sheet_format_kind("dd\\.mm\\.yyyy") == TR_SHEET_DATE);
	CHECK(tr__sheet_format_kind("TT.MM.JJJJ") == TR_SHEET_DATE);
	CHECK(tr__sheet_format_kind("[$-407]DD. MMMM YYYY;@") == TR_SHEET_DATE);
	CHECK(tr__sheet_format_kind("m/d/yy h:mm") == TR_SHEET_DATETIME);
	CHECK(tr__sheet_format_kind("hh:mm") == TR_SHEET_TIME);
	CHECK(tr__sheet_format_kind("[h]:mm") == TR_SHEET_TIME);
	CHECK(tr__sheet_format_kind("General") == TR_SHEET_NUMBER);
	CHECK(tr__sheet_format_kind("#,##0.00 [$€-407];[RED]-#,##0.00 [$€-407]") == TR_SHEET_NUMBER);
	CHECK(tr__sheet_format_kind("0\" Tage\"") == TR_SHEET_NUMBER);
	CHECK(tr__sheet_format_kind("0.00%") == TR_SHEET_NUMBER);
	CHECK(tr__sheet_format_kind("0;\"yes\"") == TR_SHEET_NUMBER);

	/* Serial days: 1900 system with its phantom leap day, 1904 system, times. */
	CHECK(shows(1, false, TR_SHEET_DATE, "01.01.1900"));
	CHECK(shows(59, false, TR_SHEET_DATE, "28.02.1900"));
	CHECK(shows(60, false, TR_SHEET_DATE, "29.02.1900"));
	CHECK(shows(61, false, TR_SHEET_DATE, "01.03.1900"));
	CHECK(shows(40238, false, TR_SHEET_DATE, "01.03.2010"));
	CHECK(shows(45658, false, TR_SHEET_DATE, "01.01.2025"));
	CHECK(shows(38776, true, TR_SHEET_DATE, "01.03.2010"));
	CHECK(shows(40287.6041666667, false, TR_SHEET_DATETIME, "19.04.2010 14:30"));
	CHECK(shows(40287, false, TR_SHEET_DATETIME, "19.04.2010"));
	CHECK(shows(40287.99999, false, TR_SHEET_DATETIME, "20.04.2010"));
	CHECK(shows(0.5, false, TR_SHEET_TIME, "12:00"));
	/* Out of range or not a date format: the number as it is. */
	CHECK(shows(-3, false, TR_SHEET_DATE, "-3"));
	CHECK(shows(3e7, false, TR_SHEET_DATE, "30000000"));
	CHECK(shows(0.25, false, TR_SHEET_DATE, "0,25"));
	CHECK(shows(40238, false, TR_SHEET_NUMBER, "40238"));
	return check_done();
}
