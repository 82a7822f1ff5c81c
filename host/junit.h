/* junit.h - JUnit XML (the Ant/Jenkins dialect GitLab, Jenkins and GitHub
 * reporters read), written with libxml2's xmlwriter. */
#ifndef SUPERNESTED_JUNIT_H
#define SUPERNESTED_JUNIT_H

#include "level_status.h"
#include "output.h"

struct junit;

/* NULL with errno set when @path cannot be written. */
struct junit *junit_open(const char *path, const char *name);
void junit_suite_begin(struct junit *j, const char *name, int tests, int failures, int errors,
		       int skipped, double time_s, const char *timestamp);
void junit_property(struct junit *j, const char *name, const char *value);
/* @text: the failure's body (evidence lines), may be NULL. */
void junit_case(struct junit *j, const char *classname, const char *name, double time_s,
		enum level_status st, const char *type, const char *message, const char *text);
void junit_suite_end(struct junit *j);
/* Finish and free. 0, or -EIO when any write failed. */
int junit_close(struct junit *j);

/* A run: one testsuite per pass, one testcase "level N" per level. */
int write_run_junit(const char *path, const struct run_results *r);

#endif
