#include "version.h"
#include "modbus_tcp.h"

/* Reduced sample of the FG-200 main loop. */
int main(void)
{
    static uint8_t pdu[MODBUS_MAX_PDU];
    static const uint8_t probe[] = {0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 2};

    return modbus_tcp_parse(probe, sizeof probe, pdu, sizeof pdu) < 0;
}
