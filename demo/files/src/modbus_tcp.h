#ifndef FG200_MODBUS_TCP_H
#define FG200_MODBUS_TCP_H
#include <stddef.h>
#include <stdint.h>

#define MBAP_HEADER_LEN 7u
#define MODBUS_MAX_PDU 253u

/* Parses one Modbus TCP frame; returns the PDU length or -1 when the frame is rejected. */
int modbus_tcp_parse(const uint8_t *frame, size_t frame_len, uint8_t *pdu, size_t pdu_cap);

#endif
