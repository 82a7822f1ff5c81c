/* output.c - table and report.json (see output.h). */
#include "output.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static const char *level_state(const struct level_record *l)
{
	if (l->outcome != OUTCOME_NONE)
		return outcome_name(l->outcome);
	return l->up ? "ok" : "not up";
}

static void fmt_seconds(char *buf, size_t len, double s)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f s", s);
}

void print_table(FILE *out, const struct run_model *m)
{
	fprintf(out, "%-5s %-6s %-28s %10s %10s %9s  %s\n", "level", "accel", "cpu",
		"up at", "boot", "memory", "outcome");
	for (int i = 1; i <= m->max_level; i++) {
		const struct level_record *l = &m->level[i];
		char up[24], boot[24], mem[24];

		if (!l->seen)
			continue;
		fmt_seconds(up, sizeof(up), l->up ? l->up_at_s : -1);
		fmt_seconds(boot, sizeof(boot), l->boot_s);
		if (l->mem_mb)
			snprintf(mem, sizeof(mem), "%ld MiB", l->mem_mb);
		else if (m->level[i - 1].child_mem_mb && i > 1)
			snprintf(mem, sizeof(mem), "%ld MiB", m->level[i - 1].child_mem_mb);
		else
			snprintf(mem, sizeof(mem), "-");
		fprintf(out, "L%-4d %-6s %-28.28s %10s %10s %9s  %s%s%s\n", i,
			l->accel[0] ? l->accel : "-", l->cpu[0] ? l->cpu : "-", up, boot, mem,
			level_state(l), l->detail[0] ? ": " : "", l->detail);
		if (l->hint[0])
			fprintf(out, "%43s hint: %s\n", "", l->hint);
	}
	for (int i = 0; i < m->nnotes; i++)
		fprintf(out, "note: %s\n", m->notes[i]);
}

static void print_exits(FILE *out, const char *what, const struct exit_summary *x)
{
	int first = 1;

	fprintf(out, "      %s:", what);
	for (int k = 0; k < XS_COUNT; k++) {
		if (x->count[k] < 0)
			continue;
		fprintf(out, "%s %s %lld", first ? "" : ",", exit_summary_keys[k], x->count[k]);
		first = 0;
	}
	fputc('\n', out);
	if (x->top[0])
		fprintf(out, "        top reasons: %s\n", x->top);
	if (x->io_ports[0])
		fprintf(out, "        top I/O ports: %s\n", x->io_ports);
	if (x->msrs[0])
		fprintf(out, "        top MSRs: %s\n", x->msrs);
}

void print_exit_profile(FILE *out, const struct run_model *m)
{
	for (int i = 1; i <= m->max_level; i++) {
		const struct level_record *l = &m->level[i];

		if (!l->exits.seen && !l->exits_l1.seen)
			continue;
		fprintf(out, "L%d boot: VM exits\n", i);
		if (l->exits.seen)
			print_exits(out, "handled by its parent's KVM", &l->exits);
		if (l->exits_l1.seen)
			print_exits(out, "handled by level 1's KVM", &l->exits_l1);
	}
}

void print_verdict(FILE *out, const struct run_model *m, const struct run_info *info)
{
	fprintf(out, "deepest level up: %d; chain ended at L%d: %s (%s)", m->deepest,
		m->failed_level, outcome_name(m->result), outcome_text(m->result));
	if (info && info->expect_depth > 0)
		fprintf(out, "; expected depth %d: %s", info->expect_depth,
			m->deepest >= info->expect_depth ? "met" : "NOT MET");
	fputc('\n', out);
}

static void put_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v && *v ? json_object_new_string(v) : NULL);
}

static void put_num(json_object *o, const char *key, double v)
{
	/* negative means unknown */
	json_object_object_add(o, key, v >= 0 ? json_object_new_double(v) : NULL);
}

static void put_int(json_object *o, const char *key, long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

/* The child-exits counts of a level's boot, null when none came. */
static json_object *exits_json(const struct exit_summary *x)
{
	json_object *o;

	if (!x->seen)
		return NULL;
	o = json_object_new_object();
	for (int k = 0; k < XS_COUNT; k++)
		if (x->count[k] >= 0)
			put_int(o, exit_summary_keys[k], (long)x->count[k]);
	put_str(o, "top", x->top);
	put_str(o, "io_ports", x->io_ports);
	put_str(o, "msrs", x->msrs);
	return o;
}

static json_object *level_json(const struct run_model *m, int i)
{
	const struct level_record *l = &m->level[i];
	json_object *o = json_object_new_object(), *ev = json_object_new_array();

	put_int(o, "level", i);
	json_object_object_add(o, "up", json_object_new_boolean(l->up));
	put_num(o, "up_at_s", l->up ? l->up_at_s : -1);
	put_num(o, "started_at_s", l->started_at_s);
	put_num(o, "boot_s", l->boot_s);
	put_num(o, "uptime_s", l->uptime_s);
	put_str(o, "accel", l->accel);
	put_str(o, "vendor", l->vendor);
	put_str(o, "cpu", l->cpu);
	put_str(o, "virt", l->virt);
	put_str(o, "nested", l->nested);
	put_str(o, "kernel", l->kernel);
	put_str(o, "booted", l->booted);
	put_int(o, "mem_mb", l->mem_mb ? l->mem_mb : (i > 1 ? m->level[i - 1].child_mem_mb : 0));
	put_int(o, "avail_mb", l->avail_mb);
	put_int(o, "child_mem_mb", l->child_mem_mb);
	put_int(o, "smp", l->smp);
	put_str(o, "outcome", level_state(l));
	json_object_object_add(o, "failure", json_object_new_boolean(outcome_is_failure(l->outcome)));
	put_str(o, "detail", l->detail);
	put_str(o, "hint", l->hint);
	for (int k = 0; k < l->nevidence; k++)
		json_object_array_add(ev, json_object_new_string(l->evidence[k]));
	json_object_object_add(o, "evidence", ev);
	json_object_object_add(o, "exits", exits_json(&l->exits));
	json_object_object_add(o, "exits_l1", exits_json(&l->exits_l1));
	return o;
}

int write_report_json(const char *path, const struct run_model *m, const struct run_info *info)
{
	json_object *root = json_object_new_object(), *levels = json_object_new_array();
	json_object *res = json_object_new_object(), *set = json_object_new_object();
	json_object *notes = json_object_new_array();
	int rc = 0;

	put_str(root, "tool", "supernested");
	put_int(root, "format", 1);
	put_str(root, "source", info->source);
	put_str(root, "image", info->image);
	put_str(root, "started", info->started);
	put_str(root, "host_cpu", info->host_cpu);
	put_str(root, "host_kernel", info->host_kernel);

	put_str(set, "accel", info->accel);
	put_str(set, "cpu", info->cpu);
	put_str(set, "boot", info->boot);
	put_int(set, "mem_mb", info->mem_mb);
	put_int(set, "smp", info->smp);
	put_int(set, "max_depth", info->max_depth);
	put_int(set, "expect_depth", info->expect_depth);
	put_int(set, "level_timeout_s", info->level_timeout_s);
	put_int(set, "run_timeout_s", info->run_timeout_s);
	json_object_object_add(root, "settings", set);

	json_object_object_add(res, "completed", json_object_new_boolean(m->summary_seen));
	put_int(res, "deepest", m->deepest);
	put_str(res, "outcome", outcome_name(m->result));
	put_str(res, "text", outcome_text(m->result));
	json_object_object_add(res, "failure", json_object_new_boolean(outcome_is_failure(m->result)));
	put_int(res, "failed_level", m->failed_level);
	put_num(res, "duration_s", info->duration_s);
	put_int(res, "exit_status", info->exit_status);
	if (info->image_unchanged >= 0)
		json_object_object_add(res, "image_unchanged",
				       json_object_new_boolean(info->image_unchanged));
	put_int(res, "garbled_lines", m->garbled);
	json_object_object_add(root, "result", res);

	for (int i = 1; i <= m->max_level; i++)
		if (m->level[i].seen)
			json_object_array_add(levels, level_json(m, i));
	json_object_object_add(root, "levels", levels);
	for (int i = 0; i < m->nnotes; i++)
		json_object_array_add(notes, json_object_new_string(m->notes[i]));
	json_object_object_add(root, "notes", notes);

	if (json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED) < 0)
		rc = errno ? -errno : -EIO;
	json_object_put(root);
	return rc;
}
