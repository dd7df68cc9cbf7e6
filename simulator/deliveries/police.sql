-- Tables of the police population system as extracted for the data-sharing
-- office (contract section 1). Column codes are the police system's pinyin
-- initialisms; everything but the technical key is delivered as text.

CREATE TABLE HJRK (
    ID      INTEGER PRIMARY KEY,  -- record number, stable across updates
    GMSFHM  TEXT,                 -- identity number
    XM      TEXT,                 -- name
    XBDM    TEXT,                 -- gender code (GB/T 2261.1)
    CSRQ    TEXT,                 -- birth date
    HH      TEXT,                 -- household number
    YHZGXDM TEXT,                 -- relation to household head code
    HJDZ    TEXT,                 -- registered address
    HJDZQH  TEXT,                 -- division code of the registered address
    LXDH    TEXT,                 -- phone
    DJRQ    TEXT,                 -- registration date
    ZXRQ    TEXT,                 -- deregistration date
    ZXYY    TEXT,                 -- deregistration reason
    GXSJ    TEXT                  -- last update time
);
