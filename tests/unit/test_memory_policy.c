/* test_memory_policy.c - the child memory plan: need per depth, automatic size, refusals, explicit requests. */
#include "tap.h"
#include "memory_policy.h"

#include <stdio.h>
#include <string.h>

/* The formulas of memory_policy.h, written out independently. */
static long reserve_of(long total_mb, long overlay_mb)
{
	return RESERVE_BASE_MB + overlay_mb + total_mb / 32;
}

/* need(0) = LEVEL_MIN_MB; need(r) = ceil((boot + base + overlay + need(r-1)) * 32 / 30) */
static long need_of(int levels_below, long overlay_mb)
{
	long need = LEVEL_MIN_MB;

	for (int r = 1; r <= levels_below; r++) {
		long x = (LEVEL_BOOT_MB + RESERVE_BASE_MB + overlay_mb + need) * 32;

		need = x / 30 + (x % 30 != 0);
	}
	return need;
}

static void test_constants(void)
{
	ok(LEVEL_MIN_MB > 0 && RESERVE_BASE_MB > 0 && LEVEL_BOOT_MB > 0 && OVERLAY_MB > 0,
	   "policy constants positive");
	is_int(reserve_of(7941, 64), RESERVE_BASE_MB + 64 + 248, "reserve_of: 7941/32 is 248");
}

static void test_need(void)
{
	int same = 1, growing = 1;

	long one = (LEVEL_BOOT_MB + RESERVE_BASE_MB + 64 + LEVEL_MIN_MB) * 32;
	long one_no_overlay = (LEVEL_BOOT_MB + RESERVE_BASE_MB + LEVEL_MIN_MB) * 32;

	is_int(level_need_mb(0, 64), LEVEL_MIN_MB, "no level below: LEVEL_MIN_MB");
	is_int(level_need_mb(1, 64), (one + 29) / 30, "one level below: ceil((boot+base+64+min)*32/30)");
	is_int(level_need_mb(1, 0), (one_no_overlay + 29) / 30, "one level below, no overlay");
	is_int(level_need_mb(2, 64), need_of(2, 64), "two levels below");
	is_int(level_need_mb(3, 64), need_of(3, 64), "three levels below");
	is_int(level_need_mb(-1, 64), LEVEL_MIN_MB, "negative depth: LEVEL_MIN_MB");
	for (int r = 0; r < 40; r++) {
		same &= level_need_mb(r, 64) == need_of(r, 64);
		growing &= level_need_mb(r + 1, 64) > level_need_mb(r, 64);
	}
	ok(same, "level_need_mb matches the formula for 0..39 levels below");
	ok(growing, "need grows with every level below");

	/* what need(r) is for: a child given need(r) keeps LEVEL_BOOT_MB for
	 * its kernel and its reserve, and still has need(r-1) for its child */
	for (int r = 1; r <= 12; r++) {
		long need = level_need_mb(r, 64);
		long room = need - LEVEL_BOOT_MB - reserve_of(need, 64);

		if (room < level_need_mb(r - 1, 64)) {
			ok(0, "need(%d)=%ld leaves room %ld < need(%d)", r, need, room, r - 1);
			return;
		}
	}
	ok(1, "need(r) leaves room for need(r-1) after boot and reserve, r = 1..12");
}

static void test_auto(void)
{
	struct mem_plan p;
	long reserve = reserve_of(7941, 64), room = 7741 - reserve;
	long need2 = need_of(2, 64);

	/* a level 1 of 8 GiB as recorded: up mem_mb=7941 avail_mb=7741 */
	memset(&p, 0x5a, sizeof(p));
	is_int(memory_plan(7941, 7741, 0, 64, 0, &p), 0, "level 1 of 8G, child at max depth: accepted");
	is_int(p.reserve_mb, reserve, "reserve RESERVE_BASE_MB + 64 + 7941/32");
	is_int(p.need_mb, LEVEL_MIN_MB, "need of a child at max depth");
	is_int(p.child_mb, LEVEL_MIN_MB & ~1L, "child gets what it needs, not all there is");
	is_str(p.why, "", "accepted plan has no why");

	is_int(memory_plan(7941, 7741, 0, 64, 2, &p), 0, "child starting 2 more levels: accepted");
	is_int(p.need_mb, need2, "need for 2 levels below");
	is_int(p.child_mb, need2 & ~1L, "child gets its need, even");
	ok(p.child_mb < room, "... which is less than the room");

	/* less room than the need: all the room, rounded down to even */
	reserve = reserve_of(2048, 64);
	is_int(memory_plan(2048, reserve + need2 - 100, 0, 64, 2, &p), 0, "room need-100: accepted");
	is_int(p.reserve_mb, reserve, "reserve RESERVE_BASE_MB + 64 + 64");
	is_int(p.child_mb, (need2 - 100) & ~1L, "child gets the whole room");
	is_int(memory_plan(2048, reserve + 301, 0, 64, 2, &p), 0, "odd room 301: accepted");
	is_int(p.child_mb, 300, "odd room 301 rounded down to even");

	/* need odd? it is rounded down to even too */
	for (int r = 0; r < 40; r++) {
		long need = level_need_mb(r, 64);

		if (need % 2) {
			is_int(memory_plan(1L << 22, 1L << 22, 0, 64, r, &p), 0, "odd need(%d)=%ld: accepted", r, need);
			is_int(p.child_mb, need - 1, "odd need(%d): child even", r);
			break;
		}
	}

	/* 1/32 is integer division */
	is_int(memory_plan(31, 1000, 0, 0, 0, &p), 0, "tiny total: accepted");
	is_int(p.reserve_mb, RESERVE_BASE_MB, "tiny total: 31/32 is 0");
}

static void test_chain(void)
{
	/* level 1 of 8 GiB, maxdepth 8: every level down to 8 must get a plan */
	long total = 7941, avail = 7741;
	int level = 1, good = 1;

	for (; level < 8; level++) {
		struct mem_plan p;
		int below = 8 - (level + 1);

		if (memory_plan(total, avail, 0, OVERLAY_MB, below, &p) != 0 || p.child_mb < LEVEL_MIN_MB) {
			good = 0;
			printf("# level %d (total %ld, avail %ld): %s\n", level, total, avail, p.why);
			break;
		}
		/* the child's own view: its kernel keeps LEVEL_BOOT_MB */
		total = p.child_mb;
		avail = p.child_mb - LEVEL_BOOT_MB;
	}
	ok(good, "maxdepth 8 from a level 1 of 8 GiB: every level gets a plan");
	is_int(level, 8, "the chain reaches level 8");
}

static void test_minimum(void)
{
	struct mem_plan p;
	long reserve = reserve_of(1024, 64);
	char why[160];

	is_int(memory_plan(1024, reserve + LEVEL_MIN_MB, 0, 64, 0, &p), 0, "room == LEVEL_MIN_MB: accepted");
	is_int(p.child_mb, LEVEL_MIN_MB, "room == LEVEL_MIN_MB: child gets the minimum");
	is_int(memory_plan(1024, reserve + LEVEL_MIN_MB, 0, 64, 3, &p), 0,
	       "room == LEVEL_MIN_MB, three levels below: accepted");
	is_int(p.child_mb, LEVEL_MIN_MB, "... the child gets the room, the level below it will say no-memory");

	memset(&p, 0x5a, sizeof(p));
	is_int(memory_plan(1024, reserve + LEVEL_MIN_MB - 1, 0, 64, 0, &p), -1, "room LEVEL_MIN_MB-1: refused");
	is_int(p.child_mb, 0, "refused: child 0");
	is_int(p.reserve_mb, reserve, "refused: reserve still reported");
	snprintf(why, sizeof(why), "only %ld MiB available, need %d MiB for the next level plus %ld MiB reserve",
		 reserve + LEVEL_MIN_MB - 1, LEVEL_MIN_MB, reserve);
	is_str(p.why, why, "refused: why names available, minimum and reserve");
	is_int(memory_plan(1024, reserve + LEVEL_MIN_MB - 1, 0, 64, 3, &p), -1,
	       "room LEVEL_MIN_MB-1, three levels below: refused");
	is_int(memory_plan(1024, 100, 0, 64, 0, &p), -1, "less than the reserve: refused");
	is_int(p.child_mb, 0, "less than the reserve: child 0");
	is_int(memory_plan(0, 0, 0, 0, 0, &p), -1, "nothing at all: refused");
	ok(strlen(p.why) > 0, "nothing at all: a why");
}

static void test_explicit(void)
{
	struct mem_plan p;
	long room = 7741 - reserve_of(7941, 64);
	char why[160];

	/* honoured below the minimum: how a too-small level is tested */
	is_int(memory_plan(7941, 7741, 72, 64, 0, &p), 0, "explicit 72 MiB: accepted");
	is_int(p.child_mb, 72, "explicit 72 MiB: exactly as asked");
	is_str(p.why, "", "explicit accepted: no why");
	is_int(memory_plan(7941, 7741, 4096, 64, 0, &p), 0, "explicit above the need: accepted");
	is_int(p.child_mb, 4096, "explicit 4096 beats the need of a max-depth child");

	room |= 1;	/* an odd request, and exactly that much room */
	is_int(memory_plan(7941, reserve_of(7941, 64) + room, room, 64, 0, &p), 0, "explicit == room: accepted");
	is_int(p.child_mb, room, "explicit odd size honoured as asked");
	room = 7741 - reserve_of(7941, 64);
	is_int(memory_plan(7941, 7741, room + 1, 64, 0, &p), -1, "explicit room+1: refused");
	is_int(p.child_mb, 0, "explicit refused: child 0");
	snprintf(why, sizeof(why), "asked for %ld MiB but only %ld MiB can be given (available 7741, reserve %ld)",
		 room + 1, room, reserve_of(7941, 64));
	is_str(p.why, why, "explicit refused: why");

	is_int(memory_plan(1024, 100, 64, 64, 0, &p), -1, "explicit with no room at all: refused");
	snprintf(why, sizeof(why), "asked for 64 MiB but only 0 MiB can be given (available 100, reserve %ld)",
		 reserve_of(1024, 64));
	is_str(p.why, why, "no room at all: never a negative figure");

	/* room below the minimum: too little for an automatic child, enough for an explicit one */
	room = LEVEL_MIN_MB - 52;
	is_int(memory_plan(1024, reserve_of(1024, 64) + room, 0, 64, 0, &p), -1, "room min-52: automatic refuses");
	is_int(memory_plan(1024, reserve_of(1024, 64) + room, room - 4, 64, 0, &p), 0,
	       "room min-52: explicit room-4 accepted");
	is_int(p.child_mb, room - 4, "room min-52: child gets the explicit size");
	is_int(memory_plan(1024, reserve_of(1024, 64) + room, room + 1, 64, 0, &p), -1,
	       "room min-52: explicit room+1 refused");
}

static void test_thp_mode(void)
{
	is_str(thp_mode("always [madvise] never\n"), "madvise", "thp: madvise selected");
	is_str(thp_mode("[always] madvise never\n"), "always", "thp: always selected");
	is_str(thp_mode("always madvise [never]\n"), "never", "thp: never selected");
	is_str(thp_mode(""), "unknown", "thp: no file text (no CONFIG_TRANSPARENT_HUGEPAGE)");
	is_str(thp_mode("always madvise never\n"), "unknown", "thp: nothing selected");
}

int main(void)
{
	test_constants();
	test_need();
	test_auto();
	test_chain();
	test_minimum();
	test_explicit();
	test_thp_mode();
	/* width: children at once share what is left after the reserve */
	{
		struct mem_plan one, two;

		is_int(level_need_tree_mb(0, OVERLAY_MB, 2), LEVEL_MIN_MB, "width 2, a leaf: the minimum");
		is_int(level_need_tree_mb(1, OVERLAY_MB, 1), level_need_mb(1, OVERLAY_MB),
		       "width 1 needs what a chain needs");
		ok(level_need_tree_mb(1, OVERLAY_MB, 2) > 2 * LEVEL_MIN_MB + LEVEL_BOOT_MB + RESERVE_BASE_MB,
		   "width 2, one level below: two leaves, two overlays, its boot and reserve (%ld)",
		   level_need_tree_mb(1, OVERLAY_MB, 2));
		ok(level_need_tree_mb(2, OVERLAY_MB, 2) > 2 * level_need_tree_mb(1, OVERLAY_MB, 2),
		   "width 2, two levels below: more than twice one level below (%ld)",
		   level_need_tree_mb(2, OVERLAY_MB, 2));
		is_int(memory_plan_children(4000, 3800, 0, OVERLAY_MB, 1, 1, &one), 0, "width 1 plan");
		is_int(memory_plan_children(4000, 3800, 0, OVERLAY_MB, 1, 2, &two), 0, "width 2 plan");
		is_int(two.reserve_mb - one.reserve_mb, OVERLAY_MB + CHILD_QEMU_MB,
		       "a second child: one more overlay and qemu kept");
		ok(2L * two.child_mb <= 3800 - two.reserve_mb, "two children fit in what is left (%d each)",
		   two.child_mb);
		is_int(memory_plan_children(1000, 900, 0, OVERLAY_MB, 0, 2, &two), -1,
		       "width 2 in 900 MiB: refused");
		ok(strstr(two.why, "each child") != NULL, "... and says each child: %s", two.why);
		is_int(memory_plan_children(4000, 3800, 3000, OVERLAY_MB, 0, 2, &two), -1,
		       "an explicit 3000 MiB for each of two: refused");
	}
	return tap_done();
}
