/* test_chain.c - who may say what: every forgery a reviewer tried is
 * refused, and a real chain's reports all pass. */
#include "tap.h"
#include "chain.h"

#include <errno.h>
#include <string.h>

static struct chain c;

/* Feed one report line (sealed here) to the chain; its verdict. */
static int say(const char *body)
{
	char line[REPORT_LINE_MAX], why[200];
	struct report r;

	snprintf(line, sizeof(line), "%s", body);
	report_seal(line, sizeof(line));
	if (report_parse(line, &r, NULL) != 0)
		return -EBADMSG;
	return chain_accept(&c, &r, why, sizeof(why));
}

/* A real depth-3 run's reports, in the order level 1 prints them. */
static void test_honest_chain(void)
{
	chain_init(&c, 0, 3);
	is_int(say("supernested: L1 config-error key=timeout value=soon"), 0, "L1 config-error before up");
	is_int(say("supernested: L1 up uptime_s=3.8 accel=tcg maxdepth=3"), 0, "L1 up");
	is_int(say("supernested: L1 child-start level=2 mem_mb=686 budget_s=120"), 0, "L1 starts L2");
	is_int(say("supernested: L2 console text=\"[ 1.0] Linux version\""), 0, "L2's console, wrapped by L1");
	is_int(say("supernested: L2 up uptime_s=8.8 accel=kvm maxdepth=3"), 0, "L2 up");
	is_int(say("supernested: L1 child-up level=2 boot_s=11.8"), 0, "L1: child up");
	is_int(say("supernested: L2 child-start level=3 mem_mb=256"), 0, "L2 starts L3");
	is_int(say("supernested: L2 child-extend level=3 budget_s=180 after_s=120 work=3000"), 0,
	       "L2 gives L3 more time while it boots");
	is_int(say("supernested: L2 child-extend level=3 budget_s=270 after_s=180 work=80"), 0,
	       "... and again");
	is_int(say("supernested: L3 up uptime_s=30.1 accel=kvm maxdepth=3"), 0, "L3 up");
	is_int(say("supernested: L2 child-extend level=3 budget_s=400 after_s=270 work=5"), -EPERM,
	       "more time for a level already up: refused");
	is_int(say("supernested: L2 child-up level=3 boot_s=53.6"), 0, "L2: child up");
	is_int(say("supernested: L3 stop reason=max-depth"), 0, "L3 stops at max depth");
	is_int(say("supernested: L3 summary deepest=3 result=max-depth failed_level=3"), 0, "L3 summary");
	is_int(say("supernested: L3 console text=\"reboot: Power down\""), 0, "L3's last console line");
	is_int(say("supernested: L2 summary deepest=3 result=max-depth failed_level=3"), 0, "L2 summary");
	is_int(say("supernested: L1 summary deepest=3 result=max-depth failed_level=3"), 0, "L1 summary");
	is_int(c.deepest_up, 3, "deepest seen up: 3");
	is_int(say("supernested: L2 console text=late"), -EPERM, "nothing after level 1's summary");
}

static void test_forged_depth(void)
{
	chain_init(&c, 0, 3);
	say("supernested: L1 up maxdepth=3");
	is_int(say("supernested: L5 up"), -EPERM, "L5 up beyond maxdepth: refused");
	is_int(say("supernested: L3 up"), -EPERM, "L1 up then L3 up, no L2: refused");
	is_int(say("supernested: L1 summary deepest=1000 result=max-depth failed_level=1"), -ERANGE,
	       "summary deepest=1000: out of range");
	is_int(say("supernested: L1 summary deepest=4294967297 result=max-depth failed_level=1"), -ERANGE,
	       "summary deepest=2^32+1: out of range, not 1");
	is_int(say("supernested: L1 summary deepest=3 result=max-depth failed_level=3"), -EPERM,
	       "summary deepest=3 with only L1 up: refused");
	is_int(say("supernested: L1 summary deepest=1 result=max-depth failed_level=-5"), -ERANGE,
	       "failed_level=-5: out of range");
	is_int(say("supernested: L1 summary deepest=1 result=victory failed_level=1"), -ERANGE,
	       "unknown result: refused");
	is_int(c.deepest_up, 1, "deepest still 1");

	chain_init(&c, 0, 0);	/* a saved log: maxdepth from level 1 */
	is_int(say("supernested: L1 summary deepest=60 result=max-depth failed_level=1"), -EPERM,
	       "bare L1 summary deepest=60, L1 never up: refused");
	is_int(say("supernested: L1 up maxdepth=2"), 0, "L1 up with maxdepth=2");
	is_int(c.maxdepth, 2, "maxdepth taken from level 1");
	is_int(say("supernested: L1 up maxdepth=2"), -EPERM, "up twice: refused");
	is_int(say("supernested: L1 child-start level=3"), -EPERM, "child-start for a grandchild: refused");
	is_int(say("supernested: L1 child-start level=2"), 0, "child-start for L2");
	is_int(say("supernested: L1 child-start level=2"), -EPERM, "a second child-start: refused");
	is_int(say("supernested: L2 up maxdepth=9"), -EPERM, "L2 claiming another maxdepth: refused");
	is_int(say("supernested: L2 up maxdepth=2"), 0, "L2 up");
	is_int(say("supernested: L2 child-start level=3"), -EPERM, "L2 starting L3 beyond maxdepth 2: refused");
}

static void test_speaking_for_others(void)
{
	chain_init(&c, 0, 4);
	say("supernested: L1 up");
	say("supernested: L1 child-start level=2");
	say("supernested: L2 up");
	is_int(say("supernested: L2 child-fail level=1 reason=panic"), -EPERM,
	       "L2 child-fail about level 1: refused");
	is_int(say("supernested: L3 child-up level=2 boot_s=999"), -EPERM,
	       "L3 (never started) rewriting L2's boot time: refused");
	is_int(say("supernested: L2 child-up level=3 boot_s=1"), -EPERM, "child-up for a child never started");
	is_int(say("supernested: L2 child-extend level=3 budget_s=180"), -EPERM,
	       "more time for a child never started: refused");
	is_int(say("supernested: L1 child-extend level=3 budget_s=180"), -EPERM,
	       "more time for a grandchild: refused");
	is_int(say("supernested: L1 child-extend level=2 budget_s=-5"), -ERANGE, "budget_s=-5: out of range");
	is_int(say("supernested: L1 child-extend level=2 budget_s=180 after_s=x"), -ERANGE,
	       "after_s not a number: refused");
	is_int(say("supernested: L1 child-up level=2 boot_s=inf"), -ERANGE, "boot_s=inf: out of range");
	is_int(say("supernested: L1 child-up level=2 boot_s=1e999"), -ERANGE, "boot_s=1e999: out of range");
	is_int(say("supernested: L1 child-up level=2 boot_s=12.5"), 0, "child-up with a real boot time");
	is_int(say("supernested: L1 child-up level=2 boot_s=13"), -EPERM, "child-up twice: refused");
	is_int(say("supernested: L2 up uptime_s=nan"), -ERANGE, "uptime_s=nan: out of range");
	is_int(say("supernested: L2 child-start level=3 mem_mb=-1"), -ERANGE, "mem_mb=-1: out of range");
	is_int(say("supernested: L2 evidence level=3 text=x"), -EPERM, "evidence about a level never started");
	is_int(say("supernested: L2 evidence level=2 text=\"own last words\""), 0, "evidence about itself");
	is_int(say("supernested: L2 evidence level=1 text=x"), -EPERM, "evidence about its parent: refused");
	is_int(say("supernested: L1 child-exits level=3 total=5"), -EPERM,
	       "exit counts for a level never started: refused");
	is_int(say("supernested: L2 child-exits level=1 total=5"), -EPERM,
	       "exit counts about a level above: refused");
	is_int(say("supernested: L2 child-start level=3"), 0, "L2 starts L3");
	is_int(say("supernested: L1 child-exits level=3 total=5"), 0, "L1's exit counts for L3's boot");
	is_int(say("supernested: L2 child-fail level=3 reason=oom"), 0, "L2 reports L3 out of memory");
	is_int(say("supernested: L2 evidence level=3 text=x"), 0, "and its evidence");
	is_int(say("supernested: L2 child-fail level=3 reason=panic"), -EPERM, "a second child-fail: refused");
	is_int(say("supernested: L2 summary deepest=2 result=panic failed_level=3"), -EPERM,
	       "summary saying panic where oom was reported: refused");
	is_int(say("supernested: L2 summary deepest=2 result=oom failed_level=4"), -EPERM,
	       "summary naming a level never started: refused");
	is_int(say("supernested: L2 summary deepest=2 result=oom failed_level=3"), 0, "the true summary");
	is_int(say("supernested: L2 up"), -EPERM, "L2 after its summary: refused");
	is_int(say("supernested: L1 stop reason=internal-error"), 0, "L1 may still speak");
	is_int(say("supernested: L1 stop reason=internal-error"), -EPERM, "but stop only once");
}

static void test_launcher_view(void)
{
	/* level 2's launcher watching its child: only levels 3.. may speak */
	chain_init(&c, 2, 4);
	is_int(say("supernested: L2 up"), -EPERM, "a child cannot speak as its parent");
	is_int(say("supernested: L1 summary deepest=1 result=oom failed_level=1"), -EPERM,
	       "nor as a level above");
	is_int(say("supernested: L4 up"), -EPERM, "grandchild before child-start: refused");
	is_int(say("supernested: L3 up maxdepth=4"), 0, "child up");
	is_int(say("supernested: L3 stop reason=no-virt"), 0, "child stops: no vmx/svm");
	is_int(say("supernested: L3 summary deepest=3 result=no-virt failed_level=3"), 0, "child summary");
	is_int(say("supernested: L3 console text=\"reboot: Power down\""), 0, "its last console line");
}

/* Feed one report line at observer time @t. */
static int say_at(double t, const char *body)
{
	chain_clock(&c, t);
	return say(body);
}

/* One lost line: what follows proves what it said, and says so. */
static void test_lost_lines(void)
{
	chain_init(&c, 0, 3);
	say("supernested: L1 up maxdepth=3");
	/* L1's child-start lost: level 2 speaks */
	is_int(say("supernested: L2 console text=\"[ 0.4] Linux version\""), 0,
	       "L1's child-start lost: level 2's console line is accepted");
	ok(strstr(c.recovered, "L1's child-start for level 2 was lost") != NULL,
	   "... and says which line was lost (%s)", c.recovered);
	is_int(say("supernested: L2 up maxdepth=3"), 0, "L2 up");
	is_int(c.recovered[0], 0, "an ordinary report recovers nothing");
	/* L2's child-start lost, and L3's first word is a forgery about L2 */
	is_int(say("supernested: L3 child-up level=2 boot_s=9"), -EPERM,
	       "a report refused for another reason infers nothing");
	is_int(c.level[3].started, 0, "... level 3 still not started");
	is_int(say("supernested: L4 up"), -EPERM, "a grandchild cannot imply its parent's start");

	chain_init(&c, 0, 3);
	say("supernested: L1 up maxdepth=3");
	say("supernested: L1 child-start level=2 mem_mb=700");
	/* L2's up lost: its parent's child-up proves it */
	is_int(say("supernested: L1 child-up level=2 boot_s=5.1"), 0, "L2's up lost: L1's child-up accepted");
	is_int(c.deepest_up, 2, "... and proves level 2 up");
	ok(strstr(c.recovered, "L2's up line was lost") != NULL, "... said (%s)", c.recovered);
	is_int(say("supernested: L2 child-start level=3 mem_mb=256"), 0, "L2 starts L3");
	/* L3's up and L2's child-up both fine; L3 starts nothing at maxdepth */
	chain_init(&c, 0, 3);
	say("supernested: L1 up maxdepth=3");
	say("supernested: L1 child-start level=2");
	is_int(say("supernested: L2 child-start level=3"), 0, "L2's up lost: its child-start proves it");
	is_int(c.deepest_up, 2, "... level 2 up");

	/* a refused up is not a lost one */
	chain_init(&c, 0, 3);
	say("supernested: L1 up maxdepth=3");
	say("supernested: L1 child-start level=2");
	is_int(say("supernested: L2 up maxdepth=9"), -EPERM, "L2 up with another maxdepth: refused");
	is_int(say("supernested: L1 child-up level=2 boot_s=5"), -EPERM,
	       "a child-up cannot bring a refused up back");
	is_int(say("supernested: L2 child-start level=3"), -EPERM, "nor can its child-start");

	/* L1's up without maxdepth: the first up that says is the chain's */
	chain_init(&c, 0, 0);
	say("supernested: L1 up");
	say("supernested: L1 child-start level=2");
	is_int(say("supernested: L2 up maxdepth=2"), 0, "L1 said no maxdepth: L2's is taken");
	is_int(c.maxdepth, 2, "maxdepth 2");
	is_int(say("supernested: L2 child-start level=3"), -EPERM, "and holds");
	/* the observer's expectation (parse --max-depth) gives way to the chain's word */
	chain_init(&c, 0, 3);
	c.maxdepth_soft = 1;
	is_int(say("supernested: L1 up maxdepth=2"), 0, "expected 3, level 1 runs with 2: believed");
	is_int(c.maxdepth, 2, "maxdepth 2 from level 1");
	is_int(say("supernested: L1 child-start level=2"), 0, "L2 started");
	is_int(say("supernested: L2 up maxdepth=3"), -EPERM, "a deeper level saying another: refused");
}

/* Order is not proof: the consistency holes a field-level fuzzer found,
 * and a subtree faster than any real one. */
static void test_plausibility(void)
{
	chain_init(&c, 0, 0);
	say("supernested: L1 up maxdepth=63");
	is_int(say("supernested: L1 summary deepest=1 result=max-depth failed_level=1"), -EPERM,
	       "max-depth at level 1 of 63: refused");
	is_int(say("supernested: L1 stop reason=max-depth"), -EPERM, "stop max-depth below maxdepth: refused");
	is_int(say("supernested: L1 summary deepest=1 result=panic failed_level=1"), -EPERM,
	       "a summary blaming its own level that reported nothing: refused");
	is_int(say("supernested: L1 stop reason=no-memory"), 0, "L1 stops: no memory for a child");
	is_int(say("supernested: L1 summary deepest=1 result=no-memory failed_level=1"), 0,
	       "the summary that matches its stop");

	chain_init(&c, 0, 4);
	say("supernested: L1 up maxdepth=4");
	say("supernested: L1 child-start level=2");
	is_int(say("supernested: L1 child-fail level=2 reason=timeout"), 0, "L2 reported failed");
	is_int(say("supernested: L2 up maxdepth=4"), -EPERM, "a child reported failed cannot come up later");
	is_int(say("supernested: L1 child-up level=2 boot_s=5"), -EPERM, "nor be reported up");
	is_int(say("supernested: L1 summary deepest=1 result=timeout failed_level=2"), 0, "summary");

	chain_init(&c, 0, 4);
	say("supernested: L1 up maxdepth=4");
	say("supernested: L1 child-start level=2");
	is_int(say("supernested: L1 child-fail level=2 reason=max-depth"), -EPERM,
	       "a child cannot fail with max-depth");
	is_int(say("supernested: L1 summary deepest=1 result=oom failed_level=2"), -EPERM,
	       "oom at level 2, which nobody reported failed: refused");
	is_int(say("supernested: L1 evidence level=2 text=\"invoked oom-killer\""), 0, "L2's evidence");
	is_int(say("supernested: L1 summary deepest=1 result=oom failed_level=2"), 0,
	       "the child-fail was lost, its evidence arrived: accepted");
	ok(strstr(c.recovered, "child-fail for level 2 was lost") != NULL, "... said (%s)", c.recovered);

	/* memory: no more than the parent gave */
	chain_init(&c, 0, 4);
	say_at(0, "supernested: L1 up maxdepth=4");
	say_at(1, "supernested: L1 child-start level=2 mem_mb=700");
	is_int(say_at(6, "supernested: L2 up mem_mb=4096 maxdepth=4"), -EPERM,
	       "L2 up with more memory than L1 gave it: refused");
	is_int(c.refused_from, 2, "... with its subtree");
	is_int(say_at(7, "supernested: L2 console text=x"), -EPERM, "its lines refused from then on");
	is_int(say_at(7, "supernested: L1 child-exits level=2 total=5"), -EPERM,
	       "and reports about it");
	is_int(c.deepest_up, 1, "deepest stays 1");

	/* the host's clock: the floor, and boot_s against what it saw */
	chain_init(&c, 0, 8);
	say_at(0, "supernested: L1 up maxdepth=8");
	say_at(1, "supernested: L1 child-start level=2 mem_mb=700");
	is_int(say_at(3.4, "supernested: L2 up mem_mb=680 maxdepth=8"), 0, "L2 up 2.4 s after its start");
	is_int(say_at(3.41, "supernested: L1 child-up level=2 boot_s=2.69"), 0,
	       "boot_s 0.29 s over what the host saw (as real runs show): believed");
	is_int(say_at(4, "supernested: L2 child-start level=3 mem_mb=300"), 0, "L2 starts L3");
	is_int(say_at(4.001, "supernested: L3 up mem_mb=1 maxdepth=8"), -EPERM,
	       "L3 up 1 ms after its child-start: refused");
	is_int(c.refused_from, 3, "... from level 3 down");
	is_int(c.deepest_up, 2, "deepest 2");
	is_int(say_at(4.002, "supernested: L2 summary deepest=8 result=max-depth failed_level=8"), -EPERM,
	       "a summary built on the refused subtree: refused");

	chain_init(&c, 0, 8);
	say_at(0, "supernested: L1 up maxdepth=8");
	say_at(1, "supernested: L1 child-start level=2 mem_mb=700");
	say_at(11, "supernested: L2 up maxdepth=8");
	is_int(say_at(11, "supernested: L1 child-up level=2 boot_s=12.5"), -EPERM,
	       "boot_s 12.5 s where the host saw 10 s (limit 12 s): refused");
	is_int(c.deepest_up, 1, "... and level 2 with it");
	chain_init(&c, 0, 8);
	say_at(0, "supernested: L1 up maxdepth=8");
	say_at(1, "supernested: L1 child-start level=2 mem_mb=700");
	say_at(11, "supernested: L2 up maxdepth=8");
	is_int(say_at(11, "supernested: L1 child-up level=2 boot_s=0.1"), 0,
	       "boot_s 0.1 s where the host saw 10 s: accepted (a parent's clock may run slow: "
	       "a level 1 under Bochs measured 0.021 s for a 60 s boot)");
	chain_init(&c, 0, 8);
	say_at(0, "supernested: L1 up maxdepth=8");
	say_at(1, "supernested: L1 child-start level=2 mem_mb=700");
	is_int(say_at(1.001, "supernested: L2 up maxdepth=8"), -EPERM,
	       "up 1 ms after its child-start on the host's clock: refused (the floor)");
	chain_init(&c, 0, 8);
	c.guest_clock = 1;	/* a by-hand level 1 on its own clock, 0.0074x under Bochs */
	say_at(0, "supernested: L1 up maxdepth=8");
	say_at(0.1, "supernested: L1 child-start level=2 mem_mb=700");
	is_int(say_at(0.121, "supernested: L2 up maxdepth=8"), 0,
	       "on a guest's clock, up 0.021 s after child-start is not judged by the floor");
	is_int(c.deepest_up, 2, "... and counts");
	chain_init(&c, 0, 8);	/* no clock (the launcher's view): no floor to judge by */
	say("supernested: L1 up maxdepth=8");
	say("supernested: L1 child-start level=2 mem_mb=700");
	is_int(say("supernested: L2 up maxdepth=8"), 0, "without a clock, up is up");
	is_int(say("supernested: L1 child-up level=2 boot_s=0.021"), 0,
	       "and a short boot_s is the parent's slow clock, not a lie it can be caught in");
}

int main(void)
{
	test_honest_chain();
	test_forged_depth();
	test_speaking_for_others();
	test_launcher_view();
	test_lost_lines();
	test_plausibility();
	return tap_done();
}
