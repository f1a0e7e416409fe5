/* Record kind "audit": an append-only log of who did what. */
#ifndef VG_STORE_AUDIT_H
#define VG_STORE_AUDIT_H

struct vg_store;

/* Appends to the audit log; any argument but actor and action may be NULL. */
int store_audit(struct vg_store *st, const char *actor, const char *action, const char *detail);

#endif
