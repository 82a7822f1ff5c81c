/* test_progress_queue.c - the run's output queue: progress past the cap
 * is counted and said once there is room, messages are always kept, and
 * the order of what is kept is the order it was said. */
#include "tap.h"
#include "progress_queue.h"

#include <errno.h>

/* Everything queued, concatenated per stream. */
static void drain(struct progress_queue *q, char *out, char *err, size_t len)
{
	struct pq_item *it;
	size_t no = 0, ne = 0;

	while ((it = pq_pop(q))) {
		char *dst = it->stream == PQ_STDOUT ? out : err;
		size_t *n = it->stream == PQ_STDOUT ? &no : &ne;

		if (*n + it->len < len) {
			memcpy(dst + *n, it->text, it->len);
			*n += it->len;
		}
		free(it);
	}
	out[no] = '\0';
	err[ne] = '\0';
}

static void test_order_and_cap(void)
{
	struct progress_queue q;
	char out[4096], err[4096];

	pq_init(&q, 20);
	is_int(pq_push(&q, PQ_STDOUT, "line one\n", 9, 1), 0, "progress queued while there is room");
	is_int(pq_push(&q, PQ_STDERR, "qemu: x\n", 8, 1), 0, "stderr shares the room");
	is_int(pq_push(&q, PQ_STDOUT, "line three\n", 11, 1), -ENOSPC,
	       "progress that would pass the cap is refused");
	is_int(pq_push(&q, PQ_STDOUT, "line four\n", 10, 1), -ENOSPC, "and the next too");
	is_int(pq_push(&q, PQ_STDOUT, "table\n", 6, 0), 0, "a message is kept past the cap");
	is_int((long long)q.dropped[PQ_STDOUT], 2, "two lines of progress counted");
	drain(&q, out, err, sizeof(out));
	is_str(out, "line one\nsupernested: 2 lines of progress not shown (the output was not read in time; console.log has every line)\ntable\n",
	       "stdout: what was kept, in order, the count said before the next line out");
	is_str(err, "qemu: x\n", "stderr: its own line, no count (nothing of its was dropped)");
	is_int((long long)q.bytes, 0, "nothing left queued");

	/* another spell: the count goes before the next line shown */
	is_int(pq_push(&q, PQ_STDOUT, "0123456789012345678901234", 25, 1), -ENOSPC,
	       "a line longer than the whole room is refused");
	is_int(pq_push(&q, PQ_STDOUT, "line five\n", 10, 1), 0, "room for a shorter one");
	drain(&q, out, err, sizeof(out));
	is_str(out, "supernested: 1 line of progress not shown (the output was not read in time; console.log has every line)\nline five\n",
	       "the count goes before the next line shown");
	is_int((long long)q.unsaid[PQ_STDOUT], 0, "and is said once");
	is_int((long long)q.dropped[PQ_STDOUT], 3, "the total counts both spells");
	pq_clear(&q);
}

static void test_said_at_end(void)
{
	struct progress_queue q;
	char out[4096], err[4096];

	pq_init(&q, 0);
	is_int(pq_push(&q, PQ_STDERR, "a\n", 2, 1), -ENOSPC, "no room at all: refused");
	pq_say_dropped(&q);
	drain(&q, out, err, sizeof(out));
	is_str(out, "", "nothing for stdout");
	is_str(err, "supernested: 1 line of progress not shown (the output was not read in time; console.log has every line)\n",
	       "the end of the run says what was never shown");
	pq_say_dropped(&q);
	is_int(pq_pop(&q) == NULL, 1, "and says it once");
}

int main(void)
{
	test_order_and_cap();
	test_said_at_end();
	return tap_done();
}
