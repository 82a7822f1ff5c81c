/* cmd_parse.c - `supernested parse LOG` (cmd_parse.h). */
#include "cmd_parse.h"
#include "console_log.h"
#include "events.h"
#include "finish.h"
#include "level1_end.h"
#include "progress.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A saved console.log: each line as the live run fed it to its model
 * (console_log.h), and what the host saw of level 1's end (level1_end.h),
 * so parse gives the live run's verdict. */
struct log_reading {
	struct run_model *m;
	struct level1_end end;
};

static void log_line(void *ctx, const char *line)
{
	struct log_reading *lr = ctx;

	if (!level1_end_read_line(&lr->end, lr->m, line))
		events_line(lr->m, line, -1);
}

int cmd_parse(const char *logpath, const struct output_options *oo, int max_depth,
		     int expect_depth)
{
	static struct run_model m;
	static struct log_reading reading;
	struct pass_result pass = { .m = &m, .info = { .source = logpath, .image_unchanged = -1,
						       .expect_depth = expect_depth,
						       .duration_s = -1 /* a log does not say */ } };
	struct run_results r = { .pass = &pass, .npasses = 1, .max_depth = max_depth };
	int fd = open(logpath, O_RDONLY | O_CLOEXEC), rc, started;

	if (fd < 0) {
		fprintf(stderr, "supernested: cannot read %s: %s\n", logpath, strerror(errno));
		return EXIT_INFRA;
	}
	events_init(&m);
	/* as run does: a log whose level 1 does not say its maxdepth keeps
	 * its deeper levels when --max-depth says it */
	if (max_depth)
		events_expect_maxdepth(&m, max_depth);
	reading.m = &m;
	level1_end_init(&reading.end);
	if (console_log_read(fd, log_line, &reading) < 0) {
		fprintf(stderr, "supernested: cannot read %s: %s\n", logpath, strerror(errno));
		close(fd);
		return EXIT_INFRA;
	}
	close(fd);
	if (reading.end.seen && !m.summary_seen)
		level1_end_judge(&m, &reading.end);
	events_finish(&m);
	if (m.lines == 0 || m.max_level == 0) {
		fprintf(stderr, "supernested: %s holds no supernested report lines\n", logpath);
		return EXIT_INFRA;
	}
	pass.info.image_version = m.level[1].version[0] ? m.level[1].version : NULL;
	pass.info.image_kernel = m.level[1].kernel[0] ? m.level[1].kernel : NULL;
	/* as run: `parse ... | head` still writes --json and exits with the verdict */
	started = progress_begin() == 0;
	rc = finish(&r, oo, oo->json, expect_depth);
	if (started)
		progress_end();
	return rc;
}
