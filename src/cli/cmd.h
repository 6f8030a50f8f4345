/* cmd — the command entry points; main.c's table lists them with a summary. */
#ifndef APN_CMD_H
#define APN_CMD_H

int cmd_build(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_overlap(int argc, char **argv);
int cmd_hardest(int argc, char **argv);
int cmd_sql(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_gap(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_demo(int argc, char **argv);

#endif
