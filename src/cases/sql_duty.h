/* SQL of the duty roster (SQLite dialect); included by duty.c only. */
#ifndef VG_SQL_DUTY_H
#define VG_SQL_DUTY_H

static const char SQL_DUTY_ADD[] =
    "INSERT INTO duty_shifts(person, contact, starts_at, ends_at, daily, escalation_order,"
    " created_at) VALUES(?,?,?,?,?,?,?)";
static const char SQL_DUTY_LIST[] =
    "SELECT id, person, contact, starts_at, ends_at, daily, escalation_order FROM duty_shifts"
    " ORDER BY escalation_order, starts_at, id";
static const char SQL_HANDOVER_ADD[] =
    "INSERT INTO duty_handovers(at, from_person, to_person, note) VALUES(?,?,?,?)";
static const char SQL_HANDOVER_LIST[] =
    "SELECT id, at, from_person AS \"from\", to_person AS \"to\", note FROM duty_handovers"
    " ORDER BY id DESC LIMIT ?";

#endif
