/* progress_queue.c - bounded output queue (see progress_queue.h). */
#include "progress_queue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pq_init(struct progress_queue *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	q->cap = cap;
}

static int append(struct progress_queue *q, enum pq_stream stream, const char *text, size_t len)
{
	struct pq_item *it;

	if (len > (size_t)-1 / 2 - sizeof(*it))
		return -ENOMEM;
	it = malloc(sizeof(*it) + len);
	if (!it)
		return -ENOMEM;
	it->next = NULL;
	it->stream = stream;
	it->len = len;
	memcpy(it->text, text, len);
	if (q->tail)
		q->tail->next = it;
	else
		q->head = it;
	q->tail = it;
	q->bytes += len;
	return 0;
}

/* The marker is kept whatever the room: it is one line per refusal spell. */
static void say(struct progress_queue *q, enum pq_stream stream)
{
	char line[160];
	int n;

	if (!q->unsaid[stream])
		return;
	n = snprintf(line, sizeof(line),
		     "supernested: %llu line%s of progress not shown (the output was not read in time; console.log has every line)\n",
		     q->unsaid[stream], q->unsaid[stream] == 1 ? "" : "s");
	if (n > 0 && (size_t)n < sizeof(line) && append(q, stream, line, (size_t)n) == 0)
		q->unsaid[stream] = 0;
}

int pq_push(struct progress_queue *q, enum pq_stream stream, const char *text, size_t len,
	    int droppable)
{
	if (stream >= PQ_STREAMS)
		return -EINVAL;
	if (droppable && (q->bytes >= q->cap || len > q->cap - q->bytes)) {
		q->unsaid[stream]++;
		q->dropped[stream]++;
		return -ENOSPC;
	}
	say(q, stream);
	return append(q, stream, text, len);
}

void pq_say_dropped(struct progress_queue *q)
{
	for (int s = 0; s < PQ_STREAMS; s++)
		say(q, (enum pq_stream)s);
}

struct pq_item *pq_pop(struct progress_queue *q)
{
	struct pq_item *it = q->head;

	if (!it)
		return NULL;
	q->head = it->next;
	if (!q->head)
		q->tail = NULL;
	q->bytes -= it->len;
	it->next = NULL;
	return it;
}

void pq_clear(struct progress_queue *q)
{
	struct pq_item *it;

	while ((it = pq_pop(q)))
		free(it);
}
