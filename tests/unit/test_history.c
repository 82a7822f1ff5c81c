/* test_history.c - runs over time: order, CSV, and the figures read back
 * from report.json files written by the tool's own writer. */
#include "tap.h"
#include "history.h"
#include "output.h"

#include <stdlib.h>
#include <unistd.h>

static struct report_figures runs[3];

static void run(struct report_figures *f, const char *started, int deepest, double l1, double l2)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->started, sizeof(f->started), "%s", started);
	snprintf(f->kernel, sizeof(f->kernel), "6.1.0-56-amd64");
	f->deepest = deepest;
	f->good = deepest >= 2;
	if (!f->good)
		snprintf(f->not_good, sizeof(f->not_good), "depth %d, 2 expected", deepest);
	f->level[1] = (struct level_figures){ .up = 1, .n = 1, .mean = l1, .sd = -1 };
	f->max_level = 1;
	if (l2 >= 0) {
		f->level[2] = (struct level_figures){ .up = 1, .n = 1, .mean = l2, .sd = -1 };
		f->max_level = 2;
	}
}

int main(void)
{
	char *text = NULL, *script;
	size_t len = 0;
	FILE *mem;

	run(&runs[0], "2026-11-23T09:40:00Z", 1, 4.3, -1);
	run(&runs[1], "2026-11-21T02:00:00Z", 2, 4.7, 12.243);
	run(&runs[2], "2026-11-22T02:00:00Z", 2, 4.5, 12.5);
	snprintf(runs[2].profile, sizeof(runs[2].profile), "full");
	runs[0].width = 2;	/* a tree: run --width 2 */
	history_sort(runs, 3);
	is_str(runs[0].started, "2026-11-21T02:00:00Z", "oldest first");
	mem = open_memstream(&text, &len);
	ok(mem != NULL, "a table in memory");
	if (mem) {
		print_history(mem, runs, 3);
		fclose(mem);
		ok(strstr(text, " profile ") != NULL, "the table has a profile column");
		ok(strstr(text, " profile width depth ") != NULL, "... and a width column");
		ok(strstr(text, "2026-11-22T02:00:00Z 6.1.0-56-amd64     full        1     2") != NULL,
		   "a full run says so");
		ok(strstr(text, "2026-11-21T02:00:00Z 6.1.0-56-amd64     deep        1     2") != NULL,
		   "a run from before profiles is deep, a chain");
		ok(strstr(text, "2026-11-23T09:40:00Z 6.1.0-56-amd64     deep        2     1") != NULL,
		   "a tree says its width");
		ok(strstr(text, "FAILED: depth 1, 2 expected") != NULL, "a failed run says why");
		free(text);
		text = NULL;
		len = 0;
	}
	is_int(history_levels(runs, 3), 2, "two levels with figures");

	mem = open_memstream(&text, &len);
	write_history_csv(mem, runs, 3);
	fclose(mem);
	is_str(text, "date,kernel,depth,L1_boot_s,L2_boot_s,good\n"
		     "2026-11-21T02:00:00Z,6.1.0-56-amd64,2,4.700,12.243,1\n"
		     "2026-11-22T02:00:00Z,6.1.0-56-amd64,2,4.500,12.500,1\n"
		     "2026-11-23T09:40:00Z,6.1.0-56-amd64,1,4.300,,0\n",
	       "CSV: a row per run, an empty cell where a level was not up, the failed run marked");
	script = history_script(text, 3, 2, 2, "out.svg");
	ok(script && strstr(script, "set output 'out.svg'") && strstr(script, "for [i=1:2]") &&
	   strstr(script, "set xrange [0.5:3.5]"), "gnuplot script: output, a line per level, a point per run");
	ok(script && strstr(script, "column(6) == 0") && strstr(script, "failed run"),
	   "gnuplot script: failed runs (column 6, good = 0) marked");
	free(script);
	free(text);

	/* read back what the report writer wrote: a recorded run, parsed */
	{
		static struct run_model m;
		struct pass_result pass = { .m = &m, .info = { .source = "test", .image_unchanged = -1 } };
		struct run_results r = { .pass = &pass, .npasses = 1 };
		struct report_figures f;
		char path[512], line[4096], json[] = "/tmp/supernested-test-XXXXXX", err[200];
		FILE *log;
		int fd = mkstemp(json);

		snprintf(path, sizeof(path), "%s/tests/data/logs/run-depth3-max-depth.log", SRCDIR);
		log = fopen(path, "r");
		events_init(&m);
		while (log && fgets(line, sizeof(line), log)) {
			line[strcspn(line, "\n")] = '\0';
			events_line(&m, line, -1);
		}
		if (log)
			fclose(log);
		events_finish(&m);
		ok(fd >= 0 && write_report_json(json, &r) == 0, "report.json written");
		ok(report_figures_load(json, &f, err, sizeof(err)) == 0, "and read back: %s", err);
		ok(f.deepest == 3 && f.max_level == 3, "depth 3");
		ok(f.good, "a completed depth-3 run: good (%s)", f.not_good);
		ok(f.level[1].n == 1 && f.level[1].mean > 7.27 && f.level[1].mean < 7.28,
		   "L1 boot: host clock at its up, 7.278 s");
		ok(f.level[3].mean > 201.28 && f.level[3].mean < 201.29, "L3 boot: its parent's 201.285 s");
		is_str(f.kernel, "6.1.0-56-amd64", "kernel release");
		if (fd >= 0) {
			close(fd);
			unlink(json);
		}
	}
	return tap_done();
}
