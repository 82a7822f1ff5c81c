/* saved_log.c - a console.log back into a run model (saved_log.h). */
#include "saved_log.h"
#include "console_log.h"
#include "level1_end.h"

#include <errno.h>
#include <string.h>
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

/* What a log says of its tree before it is read: the first up line that
 * says its width (level 1's, unless that was lost), and its maxdepth. */
struct tree_scan {
	int width, maxdepth;
};

static void scan_line(void *ctx, const char *line)
{
	struct tree_scan *s = ctx;
	int w, d;

	if (s->width)
		return;
	w = run_tree_width_of_line(line, &d);
	if (w > 1 || (w == 1 && !s->maxdepth)) {
		if (w > 1)
			s->width = w;
		s->maxdepth = d;
	}
}

struct tree_reading {
	struct run_tree *t;
	struct level1_end end;
};

static void tree_log_line(void *ctx, const char *line)
{
	static const char evidence[] = LEVEL1_END_PREFIX "evidence ";
	struct tree_reading *tr = ctx;

	if (!strncmp(line, evidence, strlen(evidence)))	/* about level 1: every chain's */
		run_tree_level1_evidence(tr->t, line + strlen(evidence));
	else if (!level1_end_read_line(&tr->end, tr->t->chain[0], line))
		run_tree_line(tr->t, line, -1);
}

int saved_log_read_tree(const char *path, struct run_tree *t, int max_depth, int width)
{
	static struct tree_reading reading;
	struct tree_scan scan = { 0, 0 };
	int fd, rc;

	/* the width, or a tree's depth, from the log's up lines when not given */
	if (width < 1 || (width > 1 && !max_depth)) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		rc = console_log_read(fd, scan_line, &scan) < 0 ? -errno : 0;
		close(fd);
		if (rc < 0)
			return rc;
		if (width < 1)
			width = scan.width ? scan.width : 1;
	}
	if (width == 1) {	/* a chain, read as it always was */
		rc = run_tree_init(t, 1, 0);
		return rc < 0 ? rc : saved_log_read(path, t->chain[0], max_depth);
	}
	rc = run_tree_init(t, width, max_depth ? max_depth : scan.maxdepth);
	if (rc < 0)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	reading.t = t;
	level1_end_init(&reading.end);
	rc = console_log_read(fd, tree_log_line, &reading) < 0 ? -errno : 0;
	close(fd);
	for (int i = 0; reading.end.seen && i < t->nleaves; i++)
		if (!t->chain[i]->summary_seen)
			level1_end_judge(t->chain[i], &reading.end);
	run_tree_finish(t);
	return rc;
}
