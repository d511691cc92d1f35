#ifndef FG200_WEB_AUTH_H
#define FG200_WEB_AUTH_H
#include <stdint.h>

struct session {
    int valid;
    uint32_t last_seen;
    char user[32];
};

int web_auth_check(const struct session *s, uint32_t now);

#endif
