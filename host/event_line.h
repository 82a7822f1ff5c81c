/* event_line.h - a report line as people read it while a run goes on:
 * one short sentence per event ("L3 up at 9.8 s: kvm, svm, 716 MiB"),
 * the raw protocol being what -v shows.  Pure logic. */
#ifndef SUPERNESTED_EVENT_LINE_H
#define SUPERNESTED_EVENT_LINE_H

#include <stddef.h>

#include "report.h"

/* Write the sentence for @r, seen at host time @t (seconds since the run
 * started), into @buf, without a newline.  Returns its length (cut to
 * fit), or 0 when the event is not one people follow live (exit counts,
 * notes, a deeper level's summary: they are in the table at the end). */
size_t event_line_format(char *buf, size_t len, const struct report *r, double t);

#endif
