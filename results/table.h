/* table.h - a run model as people read it: one row per level (accel, CPU,
 * when it came up, its boot time, memory, outcome), the verdict line, and
 * the plain answer ("nested KVM reached depth 4 on this host; ...").  Pure
 * formatting, shared by the host tool and level 1's launcher. */
#ifndef SUPERNESTED_TABLE_H
#define SUPERNESTED_TABLE_H

#include <stdio.h>

#include "events.h"
#include "run_tree.h"

/* "ok", "not up", or the outcome's name. */
const char *level_state(const struct level_record *l);

/* "12.3 s", or "-" for a negative (unknown) time. */
void fmt_seconds(char *buf, size_t len, double s);

void print_table(FILE *out, const struct run_model *m);

/* The table's header and one row, its level named @name ("L3", or a
 * tree's "L1.2.1") in a column @name_width wide (print_table's: 5). */
void print_table_header(FILE *out, int name_width);
void print_level_row(FILE *out, const struct run_model *m, int i, const char *name, int name_width);

/* "deepest level up: 3; chain ended at L3: max-depth (...)" and, when
 * @expect_depth > 0, whether it was met. */
void print_verdict(FILE *out, const struct run_model *m, int expect_depth);

/* The answer in words, and what to do when the level that stopped says. */
void print_answer(FILE *out, const struct run_model *m);

/* A tree run (run_tree.h): a row per node, named by its path ("L1.2.1"),
 * depth-first, then each note once, named by its branch past the first. */
void print_tree_table(FILE *out, const struct run_tree *t);

/* A tree's answer in words: how deep every branch went and any did, and
 * where the first branch that did not end at the depth limit ended; a
 * tree of width 1 is a chain's (print_answer). */
void print_tree_answer(FILE *out, const struct run_tree *t);

#endif
