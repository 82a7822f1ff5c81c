/* console.h - where a level's report lines go: the report port named by
 * its parent (a virtio-serial port below level 1, REPORT_PORT_NAME), or
 * every console= device (ttyS0 and tty0 when booted by hand). */
#ifndef SUPERNESTED_CONSOLE_H
#define SUPERNESTED_CONSOLE_H

#include "report.h"
#include "settings.h"

/* Open the outputs @s names; /dev/console until then. Returns how many. */
int console_open(const struct settings *s, int wait_ms);

/* Also hand every line written to @fn (NULL: stop). */
void console_set_tap(void (*fn)(const char *line));

/* Write one line (a newline is added) to every output. */
void console_line(const char *line);

/* Format and write a report; a report that cannot be formatted is replaced
 * by an internal-error line saying so. */
void report_emit(const struct report *r);

/* Wait until every terminal output has put its last byte on the wire: a
 * real or emulated UART sends at its baud rate, and a power-off before
 * that cuts the last lines (the summary, the answer).  Bounded: gives up
 * after @wait_ms in all (a console with flow control held off never
 * drains).  Returns how many outputs were still sending then. */
int console_drain(int wait_ms);

/* Name of the first output, for the "up" report. */
const char *console_name(void);

#endif
