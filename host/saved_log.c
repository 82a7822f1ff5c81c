/* saved_log.c - a console.log back into a run model (saved_log.h). */
#include "saved_log.h"
#include "console_log.h"
#include "level1_end.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

struct log_reading {
	struct run_model *m;
	struct level1_end end;
};

static void log_line(void *ctx, const char *line)
{
	struct log_reading *lr = ctx;

	/* the host's own [host] lines are no report */
	if (!level1_end_read_line(&lr->end, lr->m, line))
		events_line(lr->m, line, -1);
}

int saved_log_read(const char *path, struct run_model *m, int max_depth)
{
	static struct log_reading reading;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	events_init(m);
	/* as run does: a log whose level 1 does not say its maxdepth keeps
	 * its deeper levels when --max-depth says it */
	if (max_depth)
		events_expect_maxdepth(m, max_depth);
	reading.m = m;
	level1_end_init(&reading.end);
	rc = console_log_read(fd, log_line, &reading) < 0 ? -errno : 0;
	close(fd);
	if (reading.end.seen && !m->summary_seen)
		level1_end_judge(m, &reading.end);
	events_finish(m);
	return rc;
}
