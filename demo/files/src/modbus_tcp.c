#include <string.h>
#include "modbus_tcp.h"

/* MBAP header: transaction id (2), protocol id (2), length (2), unit id (1). */
int modbus_tcp_parse(const uint8_t *frame, size_t frame_len, uint8_t *pdu, size_t pdu_cap)
{
    uint16_t length;
    size_t pdu_len;

    if (frame_len < MBAP_HEADER_LEN) {
        return -1;
    }
    if (frame[2] != 0 || frame[3] != 0) {
        return -1; /* not Modbus */
    }
    length = (uint16_t)((frame[4] << 8) | frame[5]);
    if (length < 2u || length > MODBUS_MAX_PDU + 1u) {
        return -1;
    }
    /* length counts the unit id and the PDU; it must match what was received. */
    pdu_len = (size_t)length - 1u;
    if (pdu_len > frame_len - MBAP_HEADER_LEN || pdu_len > pdu_cap) {
        return -1; /* DEF-2026-001: reject inconsistent or oversized frames */
    }
    memcpy(pdu, frame + MBAP_HEADER_LEN, pdu_len);
    return (int)pdu_len;
}
