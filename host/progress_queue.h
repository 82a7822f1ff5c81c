/* progress_queue.h - the run's terminal output waiting for its writer: a
 * bounded queue of text for stdout and stderr.  Progress that finds the
 * queue full is counted, not kept, and said in one line once there is room
 * again ("N lines of progress not shown"); the tool's own messages and its
 * final table are always kept (they are few).  Pure: no I/O, no threads
 * (progress.c writes the queue out on a thread of its own). */
#ifndef SUPERNESTED_PROGRESS_QUEUE_H
#define SUPERNESTED_PROGRESS_QUEUE_H

#include <stddef.h>

/* Room for progress: a quarter of a megabyte of lines nobody read yet is
 * as far behind as a terminal is worth; console.log has every line. */
#define PROGRESS_QUEUE_BYTES (256 * 1024)

enum pq_stream { PQ_STDOUT, PQ_STDERR, PQ_STREAMS };

struct pq_item {
	struct pq_item *next;
	enum pq_stream stream;
	size_t len;
	char text[];
};

struct progress_queue {
	struct pq_item *head, *tail;
	size_t bytes;				/* text queued */
	size_t cap;				/* progress is refused past this */
	unsigned long long unsaid[PQ_STREAMS];	/* dropped, not said yet */
	unsigned long long dropped[PQ_STREAMS];	/* dropped in all */
};

void pq_init(struct progress_queue *q, size_t cap);

/* Queue @len bytes of @text for @stream.  @droppable: progress, refused
 * (and counted) when the queue already holds @cap bytes or this would pass
 * it.  Before the first line accepted after a refusal goes the line that
 * says how many were not shown.  Returns 0, -ENOSPC or -ENOMEM. */
int pq_push(struct progress_queue *q, enum pq_stream stream, const char *text, size_t len,
	    int droppable);

/* Say now what was dropped and not said yet (the run is over). */
void pq_say_dropped(struct progress_queue *q);

/* The oldest item, out of the queue (the caller frees it), or NULL. */
struct pq_item *pq_pop(struct progress_queue *q);

/* Free whatever is queued. */
void pq_clear(struct progress_queue *q);

#endif
