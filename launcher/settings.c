/* settings.c - kernel command line parsing, driven by one table of keys. */
#include "settings.h"
#include "tree.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "supernested."

#define FIELD_SIZE(f) sizeof(((struct settings *)0)->f)

enum kind { K_INT, K_TIME, K_SIZE_MB, K_BOOT, K_MACHINE, K_STRING, K_WORDS, K_OPTS, K_INJECT, K_NODE };

static const struct key {
	const char *name;
	enum kind kind;
	size_t offset;
	long min, max;		/* K_INT range; K_WORDS, K_OPTS: field size in max */
} keys[] = {
	{ "level",    K_INT,     offsetof(struct settings, level),     1, 64 },
	{ "maxdepth", K_INT,     offsetof(struct settings, maxdepth),  1, 64 },
	{ "mem",      K_SIZE_MB, offsetof(struct settings, mem_mb),    0, 1 << 22 },
	{ "smp",      K_INT,     offsetof(struct settings, smp),       0, 256 },
	{ "width",    K_INT,     offsetof(struct settings, width),     1, NODE_WIDTH_MAX },
	{ "node",     K_NODE,    offsetof(struct settings, node),      0, 0 },
	{ "timeout",  K_INT,     offsetof(struct settings, timeout_s), 0, 86400 },
	{ "boot",     K_BOOT,    offsetof(struct settings, boot),      0, 0 },
	{ "machine",  K_MACHINE, offsetof(struct settings, machine),   0, 0 },
	{ "evidence", K_INT,     offsetof(struct settings, evidence),  0, 200 },
	{ "quiet",    K_INT,     offsetof(struct settings, quiet),     0, 1 },
	{ "console",  K_STRING,  offsetof(struct settings, report_console), 0, 0 },
	{ "args",     K_WORDS,   offsetof(struct settings, child_args), 0, FIELD_SIZE(child_args) },
	{ "tune",     K_WORDS,   offsetof(struct settings, tune_args), 0, FIELD_SIZE(tune_args) },
	{ "cpu",      K_OPTS,    offsetof(struct settings, child_cpu), 0, FIELD_SIZE(child_cpu) },
	{ "machine_opts", K_OPTS, offsetof(struct settings, machine_opts), 0, FIELD_SIZE(machine_opts) },
	{ "profile",  K_INT,     offsetof(struct settings, profile),   0, 1 },
	{ "qemu_microvm", K_INT, offsetof(struct settings, qemu_microvm), 0, 1 },
	{ "slow_tick_from", K_INT, offsetof(struct settings, slow_tick_from), 0, 64 },
	{ "slow_tick", K_INT,    offsetof(struct settings, slow_tick),  1, 100 },
	{ "inject",   K_INJECT,  offsetof(struct settings, inject),    1, 64 },
	{ "deadline", K_TIME,    offsetof(struct settings, deadline), 0, LONG_MAX },
};

static const char *const boot_names[] = {
	[BOOT_DIRECT] = "direct",
	[BOOT_BOOTLOADER] = "bootloader",
};

static const char *const machine_names[] = {
	[MACHINE_PC] = "pc",
	[MACHINE_MICROVM] = "microvm",
};

static const char *const inject_names[INJECT__COUNT] = {
	[INJECT_NONE] = "none",
	[INJECT_PANIC] = "panic",
	[INJECT_HANG_SILENT] = "hang-silent",
	[INJECT_HANG_EARLY] = "hang-early",
	[INJECT_QEMU_CRASH] = "qemu-crash",
	[INJECT_QEMU_START] = "qemu-start",
	[INJECT_QEMU_EXIT] = "qemu-exit",
	[INJECT_NO_VIRT] = "no-virt",
	[INJECT_NESTED_OFF] = "nested-off",
	[INJECT_KVM_MODULE] = "kvm-module",
	[INJECT_NO_KVM_DEV] = "no-kvm-dev",
	[INJECT_KVM_ERROR] = "kvm-error",
	[INJECT_SLOW_BOOT] = "slow-boot",
};

int inject_by_parent(enum inject_mode m)
{
	return m == INJECT_HANG_EARLY || m == INJECT_QEMU_CRASH || m == INJECT_QEMU_START ||
	       m == INJECT_NO_VIRT || m == INJECT_KVM_ERROR;
}

/* A KVM built into the kernel reads "nested" from the command line only
 * (the parameter is read-only once loaded), so nested-off is said there as
 * well as to a module load. */
int inject_targets(const struct inject_setting *in, const struct node *n)
{
	if (in->mode == INJECT_NONE)
		return 0;
	return in->node.level ? node_equal(&in->node, n) : in->level == n->level;
}

const char *inject_kernel_words(const struct inject_setting *in, const struct node *booted)
{
	return in->mode == INJECT_NESTED_OFF && inject_targets(in, booted)
		? "kvm_amd.nested=0 kvm_intel.nested=0" : "";
}

const char *inject_mode_name(enum inject_mode m)
{
	return (unsigned)m < INJECT__COUNT ? inject_names[m] : inject_names[INJECT_NONE];
}

int parse_inject(const char *text, struct inject_setting *out)
{
	const char *at = text ? strchr(text, '@') : NULL;
	struct node node;
	long level;

	if (!at || node_parse(at + 1, &node) < 0)
		return -EINVAL;
	level = node.level;
	/* "none" is not a mode one can ask for: no injection is the default */
	for (int i = INJECT_NONE + 1; i < INJECT__COUNT; i++) {
		if (strlen(inject_names[i]) == (size_t)(at - text) &&
		    !strncmp(text, inject_names[i], (size_t)(at - text))) {
			/* level 1's parent is the host tool or a person */
			if (level < 2 && inject_by_parent((enum inject_mode)i))
				return -EINVAL;
			out->mode = (enum inject_mode)i;
			out->level = (int)level;
			out->node = node;
			return 0;
		}
	}
	return -EINVAL;
}

const char *machine_name(enum machine_type m)
{
	return m == MACHINE_MICROVM ? machine_names[MACHINE_MICROVM] : machine_names[MACHINE_PC];
}

const char *boot_mode_name(enum boot_mode m)
{
	return m == BOOT_BOOTLOADER ? boot_names[BOOT_BOOTLOADER] : boot_names[BOOT_DIRECT];
}

void settings_defaults(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	s->level = 1;
	s->width = 1;
	s->maxdepth = 8;
	s->timeout_s = 0;	/* derived from this level's own boot (budget.h) */
	s->boot = BOOT_DIRECT;
	s->machine = SETTINGS_DEFAULT_MACHINE;
	s->evidence = 20;
	s->quiet = 1;
	snprintf(s->child_cpu, sizeof(s->child_cpu), "%s", SETTINGS_DEFAULT_CPU);
	snprintf(s->machine_opts, sizeof(s->machine_opts), "%s", SETTINGS_DEFAULT_MACHINE_OPTS);
	snprintf(s->tune_args, sizeof(s->tune_args), "%s", SETTINGS_DEFAULT_TUNE);
	s->profile = 1;
	s->qemu_microvm = 1;
	s->slow_tick_from = SETTINGS_DEFAULT_SLOW_TICK_FROM;
	s->slow_tick = SETTINGS_DEFAULT_SLOW_TICK;
}

int settings_tick_words(const struct settings *s, int child_level, char *buf, size_t len)
{
	int n = 0;

	if (s->slow_tick_from > 0 && child_level >= s->slow_tick_from && s->slow_tick > 1)
		n = snprintf(buf, len, SLOW_TICK_WORD "=%d", s->slow_tick);
	else if (len)
		buf[0] = '\0';
	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

static void add_error(struct settings *s, const char *key, const char *value,
		      const char *message)
{
	struct settings_error *e;

	if (s->nerrors >= SETTINGS_MAX_ERRORS)
		return;
	e = &s->errors[s->nerrors++];
	snprintf(e->key, sizeof(e->key), "%s", key);
	snprintf(e->value, sizeof(e->value), "%s", value);
	snprintf(e->message, sizeof(e->message), "%s", message);
}

int parse_size_mb(const char *text, long *mb)
{
	char *end;
	long n;

	if (!text || *text < '0' || *text > '9')
		return -EINVAL;
	errno = 0;
	n = strtol(text, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end == 'G' || *end == 'g') {
		if (n > (1L << 30))
			return -EINVAL;
		n *= 1024;
		end++;
	} else if (*end == 'M' || *end == 'm') {
		end++;
	} else if (*end) {
		return -EINVAL;
	}
	/* "2G", "2GB" and "2GiB" all mean GiB, as qemu's -m reads them */
	if (strcmp(end, "iB") == 0 || strcmp(end, "B") == 0)
		end += strlen(end);
	if (*end)
		return -EINVAL;
	*mb = n;
	return 0;
}

static int parse_int(const char *text, long *out)
{
	char *end;

	if (!text || !*text)
		return -EINVAL;
	errno = 0;
	*out = strtol(text, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

static void apply(struct settings *s, const struct key *k, const char *fullkey,
		  const char *value)
{
	char msg[120];
	void *field = (char *)s + k->offset;
	long n;
	int rc;

	switch (k->kind) {
	case K_INT:
	case K_SIZE_MB:
		rc = k->kind == K_INT ? parse_int(value, &n) : parse_size_mb(value, &n);
		if (rc < 0) {
			add_error(s, fullkey, value, k->kind == K_INT ? "not a whole number"
								       : "not a size (like 2048M or 2G)");
			return;
		}
		if (n < k->min || n > k->max) {
			snprintf(msg, sizeof(msg), "out of range %ld..%ld", k->min, k->max);
			add_error(s, fullkey, value, msg);
			return;
		}
		*(int *)field = (int)n;
		return;
	case K_TIME:	/* UNIX seconds: past 2038 */
		if (parse_int(value, &n) < 0 || n < k->min) {
			add_error(s, fullkey, value, "not a time (UNIX seconds)");
			return;
		}
		*(long long *)field = n;
		return;
	case K_BOOT:
		for (size_t i = 0; i < sizeof(boot_names) / sizeof(boot_names[0]); i++) {
			if (strcmp(value, boot_names[i]) == 0) {
				*(enum boot_mode *)field = (enum boot_mode)i;
				return;
			}
		}
		add_error(s, fullkey, value, "must be direct or bootloader");
		return;
	case K_MACHINE:
		for (size_t i = 0; i < sizeof(machine_names) / sizeof(machine_names[0]); i++) {
			if (strcmp(value, machine_names[i]) == 0) {
				*(enum machine_type *)field = (enum machine_type)i;
				return;
			}
		}
		add_error(s, fullkey, value, "must be pc or microvm");
		return;
	case K_WORDS:
		/* kernel words for the levels below: quoted on the command line */
		if (strlen(value) >= (size_t)k->max || strpbrk(value, "\"\n")) {
			snprintf(msg, sizeof(msg), "must be kernel words without quotes, under %ld characters",
				 k->max);
			add_error(s, fullkey, value, msg);
			return;
		}
		snprintf((char *)field, (size_t)k->max, "%s", value);
		return;
	case K_OPTS:
		/* a qemu option list: one word of plain characters, may be empty */
		if (strlen(value) >= (size_t)k->max ||
		    value[strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,=_.+-")]) {
			snprintf(msg, sizeof(msg), "must be a qemu option list (letters, digits, , = _ . + -) under %ld characters",
				 k->max);
			add_error(s, fullkey, value, msg);
			return;
		}
		snprintf((char *)field, (size_t)k->max, "%s", value);
		return;
	case K_INJECT:
		if (parse_inject(value, (struct inject_setting *)field) < 0)
			add_error(s, fullkey, value,
				  "must be MODE@LEVEL like panic@2 or MODE@NODE like panic@1.2, LEVEL 1..64, 2.. when the parent acts (README)");
		return;
	case K_NODE:
		if (node_parse(value, (struct node *)field) < 0)
			add_error(s, fullkey, value, "must name a node like 3 or 1.2.1 (steps 1..4, the first 1)");
		return;
	case K_STRING:
		if (!*value || strlen(value) >= 32 || strchr(value, '/')) {
			add_error(s, fullkey, value, "must be a device name like ttyS0 or a virtio port name");
			return;
		}
		snprintf((char *)field, 32, "%s", value);
		return;
	}
}

static void parse_word(struct settings *s, const char *word)
{
	const char *eq = strchr(word, '=');
	char key[64];
	size_t klen;

	if (strncmp(word, "console=", 8) == 0) {
		char dev[32];

		/* "console=ttyS0,115200n8": the device is before the comma */
		snprintf(dev, sizeof(dev), "%.*s", (int)strcspn(word + 8, ","), word + 8);
		if (*dev && s->nconsoles < SETTINGS_MAX_CONSOLES && !strchr(dev, '/'))
			snprintf(s->consoles[s->nconsoles++], sizeof(s->consoles[0]), "%s", dev);
		return;
	}
	if (strncmp(word, PREFIX, strlen(PREFIX)) != 0)
		return;
	klen = eq ? (size_t)(eq - word) : strlen(word);
	snprintf(key, sizeof(key), "%.*s", (int)klen, word);
	if (!eq) {
		add_error(s, key, "", "needs a value (key=value)");
		return;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(key + strlen(PREFIX), keys[i].name) == 0) {
			apply(s, &keys[i], key, eq + 1);
			return;
		}
	}
	add_error(s, key, eq + 1, "unknown setting");
}

void settings_parse(struct settings *s, const char *cmdline)
{
	char word[1024];
	const char *p = cmdline;

	while (p && *p) {
		size_t o = 0;
		int quoted = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		/* Words split on blanks except inside double quotes, as the kernel does. */
		for (; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n')); p++) {
			if (*p == '"') {
				quoted = !quoted;
				continue;
			}
			if (o + 1 < sizeof(word))
				word[o++] = *p;
		}
		word[o] = '\0';
		if (o + 1 >= sizeof(word) && strncmp(word, PREFIX, strlen(PREFIX)) == 0) {
			add_error(s, "supernested.*", "", "word longer than 1023 characters ignored");
			continue;
		}
		parse_word(s, word);
	}
}

void settings_settle_node(struct settings *s)
{
	if (s->width > 1 && tree_leaves(s->width, s->maxdepth) < 0) {
		char value[48];

		snprintf(value, sizeof(value), "%d to maxdepth %d", s->width, s->maxdepth);
		add_error(s, PREFIX "width", value, "more than 64 branches: lower the width or maxdepth");
		s->width = 1;
	}
	if (s->node.level == s->level)
		return;
	if (s->node.level) {
		char name[48];	/* an error's value, cut */

		if (node_format(&s->node, name, sizeof(name)) < 0)
			snprintf(name, sizeof(name), "(a node at level %d)", s->node.level);
		add_error(s, PREFIX "node", name, "names a node at another depth than supernested.level");
	}
	node_first(&s->node, s->level);
}

int settings_format_child(const struct settings *s, int index, char *buf, size_t len)
{
	char name[NODE_NAME_MAX] = "", inject[NODE_NAME_MAX];
	struct node self = s->node, child;
	int n;

	if (self.level != s->level)	/* not settled: the first branch's */
		node_first(&self, s->level);
	if (node_child(&self, index, &child) < 0 || node_format(&child, name, sizeof(name)) < 0)
		return -ENOSPC;
	n = snprintf(buf, len,
		     PREFIX "level=%d " PREFIX "maxdepth=%d " PREFIX "timeout=%d "
		     PREFIX "boot=%s " PREFIX "machine=%s " PREFIX "evidence=%d " PREFIX "quiet=%d",
		     s->level + 1, s->maxdepth, s->timeout_s, boot_mode_name(s->boot),
		     machine_name(s->machine), s->evidence, s->quiet);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	if (s->width > 1) {	/* width 1: the words as they always were */
		int m = snprintf(buf + n, len - (size_t)n, " " PREFIX "width=%d " PREFIX "node=%s",
				 s->width, name);

		if (m < 0 || (size_t)m >= len - (size_t)n)
			return -ENOSPC;
		n += m;
	}
	{
		int m = snprintf(buf + n, len - (size_t)n,
				 " " PREFIX "cpu=%s " PREFIX "machine_opts=%s " PREFIX "tune=\"%s\" "
				 PREFIX "profile=%d " PREFIX "qemu_microvm=%d " PREFIX "slow_tick_from=%d "
				 PREFIX "slow_tick=%d", s->child_cpu, s->machine_opts, s->tune_args, s->profile,
				 s->qemu_microvm, s->slow_tick_from, s->slow_tick);

		if (m < 0 || (size_t)m >= len - (size_t)n)
			return -ENOSPC;
		n += m;
	}
	if (s->child_args[0]) {
		int m = snprintf(buf + n, len - (size_t)n, " " PREFIX "args=\"%s\"", s->child_args);

		if (m < 0 || (size_t)m >= len - (size_t)n)
			return -ENOSPC;
		n += m;
	}
	if (s->child_deadline > 0) {	/* the run's limit, for the child */
		int m = snprintf(buf + n, len - (size_t)n, " " PREFIX "deadline=%lld", s->child_deadline);

		if (m < 0 || (size_t)m >= len - (size_t)n)
			return -ENOSPC;
		n += m;
	}
	if (s->inject.mode != INJECT_NONE) {
		int m;

		if (node_format(&s->inject.node, inject, sizeof(inject)) < 0)
			return -ENOSPC;
		m = snprintf(buf + n, len - (size_t)n, " " PREFIX "inject=%s@%s",
			     inject_mode_name(s->inject.mode), inject);

		if (m < 0 || (size_t)m >= len - (size_t)n)
			return -ENOSPC;
		n += m;
	}
	return n;
}
