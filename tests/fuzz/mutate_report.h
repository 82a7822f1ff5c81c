/* mutate_report.h - a structure-aware mutator for report streams: it knows
 * lines, report lines, their level, event and key=value fields, changes
 * them as a hostile or damaged chain would (boundary numbers, known outcome
 * names, keys dropped, duplicated, swapped, lines reordered, duplicated,
 * dropped, spliced from a table of real report lines), then seals every
 * report line it touched again with a valid checksum, so the chain's rules
 * and the event model see the new values instead of a garbled line.
 *
 * Pure logic (no I/O, deterministic for a seed): libFuzzer's custom
 * mutator calls it (fuzz_report_stream.c), the unit tests check it. */
#ifndef SUPERNESTED_MUTATE_REPORT_H
#define SUPERNESTED_MUTATE_REPORT_H

#include <stddef.h>
#include <stdint.h>

/* A byte-level mutator for one line (libFuzzer's LLVMFuzzerMutate), or
 * NULL: mutates data[0..size) in place, at most max_size bytes, returns
 * the new size. */
typedef size_t (*mutate_bytes_fn)(uint8_t *data, size_t size, size_t max_size);

/* The kinds of change, for the unit tests' counts (mutate_report_last). */
enum mutate_op {
	MOP_VALUE, MOP_NUMBER, MOP_OUTCOME, MOP_LEVEL, MOP_EVENT, MOP_KEY_DROP, MOP_KEY_DUP,
	MOP_KEY_SWAP, MOP_KEY_ADD, MOP_KEY_RENAME, MOP_STAMP, MOP_LINE_DROP, MOP_LINE_DUP,
	MOP_LINE_SWAP, MOP_LINE_MOVE, MOP_SPLICE, MOP_TEXT, MOP_BYTES, MOP_UNSEALED,
	MOP_COUNT
};

/* Mutate the stream in data[0..size) in place (at most @max_size bytes);
 * returns the new size.  @bytes may be NULL. */
size_t mutate_report_stream(uint8_t *data, size_t size, size_t max_size, unsigned int seed,
			    mutate_bytes_fn bytes);

/* A new stream into @out (at most @max_out bytes) from the lines of @a with
 * a run of @b's lines spliced in; returns its size. */
size_t mutate_report_cross(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
			   uint8_t *out, size_t max_out, unsigned int seed);

/* The operation the last mutate_report_stream call applied last. */
enum mutate_op mutate_report_last(void);

/* Seal @line (a NUL-terminated console line, room for @cap bytes) again:
 * an old " crc=XXXXXXXX" at its end is replaced by the checksum of its
 * report, computed from the last REPORT_PREFIX it holds.  Returns the new
 * length, or -1 when it holds no report or there is no room. */
int mutate_report_reseal(char *line, size_t cap);

#endif
