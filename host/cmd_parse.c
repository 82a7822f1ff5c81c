/* cmd_parse.c - `supernested parse LOG` (cmd_parse.h). */
#include "cmd_parse.h"
#include "finish.h"
#include "progress.h"
#include "saved_log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int cmd_parse(const char *logpath, const struct output_options *oo, int max_depth,
	      int expect_depth, const char *profile, int width)
{
	static struct run_tree tree;
	struct pass_result pass = { .info = { .source = logpath, .image_unchanged = -1,
						       .expect_depth = expect_depth,
						       .profile = profile,
						       .duration_s = -1 /* a log does not say */ } };
	struct run_results r = { .pass = &pass, .npasses = 1, .max_depth = max_depth };
	const struct run_model *m;
	int rc, started;

	rc = saved_log_read_tree(logpath, &tree, max_depth, width);
	if (rc == -ERANGE) {
		fprintf(stderr, "supernested: %s: a tree %d wide whose depth the log does not say "
			"(--max-depth), or with more than %d branches\n", logpath, width, TREE_LEAVES_MAX);
		return EXIT_USAGE;
	}
	if (rc < 0) {
		fprintf(stderr, "supernested: cannot read %s: %s\n", logpath, strerror(-rc));
		return EXIT_INFRA;
	}
	m = pass.m = tree.chain[0];	/* the first branch; a tree's others in pass.tree */
	pass.tree = tree.width > 1 ? &tree : NULL;
	pass.info.width = tree.width;
	if (m->lines == 0 || m->max_level == 0) {
		fprintf(stderr, "supernested: %s holds no supernested report lines\n", logpath);
		return EXIT_INFRA;
	}
	pass.info.image_version = m->level[1].version[0] ? m->level[1].version : NULL;
	pass.info.image_kernel = m->level[1].kernel[0] ? m->level[1].kernel : NULL;
	/* as run: `parse ... | head` still writes --json and exits with the verdict */
	started = progress_begin() == 0;
	rc = finish(&r, oo, oo->json, expect_depth);
	if (started)
		progress_end();
	run_tree_free(&tree);
	return rc;
}
