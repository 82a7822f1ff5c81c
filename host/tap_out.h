/* tap_out.h - a run as TAP on stdout: one test per level (and pass);
 * levels never attempted are "# SKIP".  What prove and TAP consumers read. */
#ifndef SUPERNESTED_TAP_OUT_H
#define SUPERNESTED_TAP_OUT_H

#include <stdio.h>

#include "output.h"

void print_run_tap(FILE *out, const struct run_results *r);

#endif
