/* model_json.h - the exit-cost model's fit and its figures per level as
 * JSON (`supernested model --json`), for scripts such as tests/bench.sh.
 * Pure: builds the object, prints nothing. */
#ifndef SUPERNESTED_MODEL_JSON_H
#define SUPERNESTED_MODEL_JSON_H

#include <json-c/json.h>

#include "model.h"

/* A host whose level 1 has hardware KVM (model --hw): what is assumed. */
struct model_hw_ask {
	double exit_us;		/* t1, microseconds */
	double budget_s;	/* the depth counted within this */
	int max_level;		/* levels 2..max_level (<= MODEL_HW_LEVELS) */
};

#define MODEL_HW_LEVELS 8

/* The fit @f on @n observations @o: {"fit", "levels" (one per observation,
 * with its pass = run + 1), "next" (the level after the deepest one up,
 * or null)}, and "hw" when @hw is not NULL.  Unknown figures are null.
 * The caller owns the object (json_object_put). */
json_object *model_json(const struct model_obs *o, int n, const struct model_fit *f,
			const struct model_hw_ask *hw);

#endif
