/* plot.c - gnuplot pictures (see plot.h). */
#include "plot.h"
#include "run_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GNUPLOT "gnuplot"
#define GNUPLOT_WAIT_S 60

static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char dir[4096], file[4200];

	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
		snprintf(file, sizeof(file), "%s/%s", n ? dir : ".", prog);
		if (access(file, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

int gnuplot_run(const char *script, char *err, size_t errlen)
{
	int in[2], er[2], status = 0, rc = 0;
	size_t len = strlen(script), done = 0, elen = 0;
	struct timespec t0, t;
	pid_t pid;

	err[0] = '\0';
	if (!in_path(GNUPLOT))
		return -ENOENT;
	if (pipe2(in, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(er, O_CLOEXEC) < 0) {
		rc = -errno;
		goto err_in;
	}
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto err_er;
	}
	if (pid == 0) {
		char *const argv[] = { GNUPLOT, NULL };

		dup2(in[0], 0);
		dup2(er[1], 2);
		dup2(er[1], 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(er[1]);
	signal(SIGPIPE, SIG_IGN);	/* a gnuplot that dies early must not take us along */
	while (done < len) {
		ssize_t n = write(in[1], script + done, len - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(in[1]);
	/* collect its complaints until it exits, for at most GNUPLOT_WAIT_S */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { er[0], POLLIN, 0 };
		char buf[512];
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > GNUPLOT_WAIT_S) {
			kill(pid, SIGKILL);
			snprintf(err, errlen, "gnuplot took more than %d s", GNUPLOT_WAIT_S);
			rc = -ETIMEDOUT;
			break;
		}
		if (poll(&p, 1, 500) <= 0)
			continue;
		n = read(er[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		if (elen + 1 < errlen) {
			size_t k = (size_t)n < errlen - elen - 1 ? (size_t)n : errlen - elen - 1;

			memcpy(err + elen, buf, k);
			elen += k;
			err[elen] = '\0';
		}
	}
	close(er[0]);
	waitpid(pid, &status, 0);
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		rc = -EIO;
	/* first non-empty line of its output is the message */
	{
		char *s = err + strspn(err, " \n");

		memmove(err, s, strlen(s) + 1);
		err[strcspn(err, "\n")] = '\0';
	}
	return rc;
err_er:
	close(er[0]);
	close(er[1]);
err_in:
	close(in[0]);
	close(in[1]);
	return rc;
}

/* Append to a growing string; on allocation failure the string is dropped. */
static void add(char **s, size_t *len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void add(char **s, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char *piece, *grown;
	int n;

	if (!*s)
		return;
	va_start(ap, fmt);
	n = vasprintf(&piece, fmt, ap);
	va_end(ap);
	if (n < 0) {
		free(*s);
		*s = NULL;
		return;
	}
	grown = realloc(*s, *len + (size_t)n + 1);
	if (!grown) {
		free(*s);
		free(piece);
		*s = NULL;
		return;
	}
	*s = grown;
	memcpy(*s + *len, piece, (size_t)n + 1);
	*len += (size_t)n;
	free(piece);
}

/* One bar row: a level, or a node of a tree. */
struct bar_row {
	char label[NODE_NAME_MAX + 16];
	const struct level_record *rec;
	int level;
};

#define BAR_ROWS_MAX (RUN_MAX_LEVELS + 2 * TREE_LEAVES_MAX)

/* The rows of pass @pr: each level seen, or each node of its tree (named
 * by its path); @pass > 0 adds "pass N". */
static int bar_rows(const struct pass_result *pr, int pass, struct bar_row *rows, int max)
{
	static struct run_tree_node nodes[BAR_ROWS_MAX];
	int n = 0;

	if (pr->tree) {
		int k = run_tree_nodes(pr->tree, nodes, BAR_ROWS_MAX);

		for (int i = 0; i < k && n < max; i++, n++) {
			node_format_label(&nodes[i].node, rows[n].label, sizeof(rows[n].label));
			rows[n].rec = nodes[i].rec;
			rows[n].level = nodes[i].node.level;
		}
	} else {
		for (int i = 1; i <= pr->m->max_level && n < max; i++) {
			if (!pr->m->level[i].seen)
				continue;
			snprintf(rows[n].label, sizeof(rows[n].label), "L%d", i);
			rows[n].rec = &pr->m->level[i];
			rows[n].level = i;
			n++;
		}
	}
	for (int i = 0; pass > 0 && i < n; i++) {
		size_t at = strlen(rows[i].label);

		snprintf(rows[i].label + at, sizeof(rows[i].label) - at, " pass %d", pass);
	}
	return n;
}

char *timeline_script(const struct run_results *r, const char *svg_path, int *nbars)
{
	static struct bar_row rows[BAR_ROWS_MAX];
	size_t len = 0;
	char *s = calloc(1, 1);
	int row = 0, total = 0;

	*nbars = 0;
	for (int p = 0; p < r->npasses; p++)	/* a chain: room for every level up to its deepest */
		total += r->pass[p].tree ? bar_rows(&r->pass[p], 0, rows, BAR_ROWS_MAX)
					 : r->pass[0].m->max_level + 1;
	add(&s, &len, "set terminal svg size 900,%d dynamic font 'sans,11'\n", 160 + 40 * total);
	add(&s, &len, "set output '%s'\n", svg_path);
	add(&s, &len, "$bars << EOD\n");
	/* row, from, to, phase (1 qemu, 2 kernel, 3 launcher, 4 whole boot) */
	for (int p = 0; p < r->npasses; p++) {
		int n = bar_rows(&r->pass[p], 0, rows, BAR_ROWS_MAX);

		for (int i = 0; i < n; i++) {
			struct level_phases ph;
			double stamps[4];

			row++;
			phases_compute(rows[i].rec, rows[i].level, &ph);
			stamps[0] = ph.start_at_s;
			stamps[1] = ph.kernel_at_s;
			stamps[2] = ph.launcher_at_s;
			stamps[3] = ph.up_at_s;
			if (ph.start_at_s >= 0 && ph.up_at_s >= 0 && !ph.known) {
				add(&s, &len, "%d %.3f %.3f 4\n", row, ph.start_at_s, ph.up_at_s);
				++*nbars;
			}
			for (int k = 0; k < 3; k++)
				if (stamps[k] >= 0 && stamps[k + 1] >= stamps[k]) {
					add(&s, &len, "%d %.3f %.3f %d\n", row, stamps[k], stamps[k + 1], k + 1);
					++*nbars;
				}
		}
	}
	add(&s, &len, "EOD\n");
	add(&s, &len, "set title 'supernested: each level from qemu start to up (host clock)'\n"
		      "set xlabel 'seconds since level 1 started'\nset yrange [%d.5:0.5]\n"
		      "set ytics (", row);
	row = 0;
	for (int p = 0; p < r->npasses; p++) {
		int n = bar_rows(&r->pass[p], r->npasses > 1 ? p + 1 : 0, rows, BAR_ROWS_MAX);

		for (int i = 0; i < n; i++, row++)
			add(&s, &len, "%s'%s' %d", row ? ", " : "", rows[i].label, row + 1);
	}
	add(&s, &len, ")\nset style fill solid 0.8 border -1\nset key outside bottom center horizontal\n"
		      "set grid xtics\nset xrange [0:*]\n"
		      "plot for [k=1:4] $bars using (($2+$3)/2):($4 == k ? $1 : NaN):2:3:"
		      "($1-0.35):($1+0.35) with boxxyerror lc k "
		      "title word('qemu>kernel kernel>launcher launcher>up boot', k)\n");
	return s;
}

int plot_path_ok(const char *path)
{
	return !strpbrk(path, "'\n");
}

int plot_timeline(const struct run_results *r, const char *svg_path)
{
	char err[300], *script;
	int rc, nbars;

	if (!plot_path_ok(svg_path)) {
		fprintf(stderr, "supernested: no timeline picture: gnuplot cannot write to a path with a quote: %s\n",
			svg_path);
		return -EINVAL;
	}
	script = timeline_script(r, svg_path, &nbars);
	if (!script)
		return -ENOMEM;
	if (nbars == 0) {	/* gnuplot would fail on an empty plot */
		free(script);
		fprintf(stderr, "supernested: no timeline picture: no level came far enough to draw\n");
		return -ENODATA;
	}
	rc = gnuplot_run(script, err, sizeof(err));
	free(script);
	if (rc == -ENOENT)
		fprintf(stderr, "supernested: no timeline picture: gnuplot is not installed (apt-get install gnuplot-nox)\n");
	else if (rc < 0)
		fprintf(stderr, "supernested: timeline picture %s failed: %s\n", svg_path,
			err[0] ? err : strerror(-rc));
	return rc;
}
