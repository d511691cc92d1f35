#ifndef FG200_VERSION_H
#define FG200_VERSION_H
#define FG200_VERSION "2.3.1"
#endif
