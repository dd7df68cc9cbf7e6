-- Tables of the police population and incident systems as extracted for the
-- data-sharing office (contract section 1), as the contract defines them.
-- Column codes are the police system's pinyin initialisms; everything but
-- the technical key is delivered as text.
--
-- The simulator creates each table from the columns it actually delivers
-- (schema drift renames, adds or reorders columns; out-of-scope columns
-- appear); without drift the result is exactly this schema, which
-- tests/simulator/test_simulator_police.py checks.

CREATE TABLE HJRK (                  -- household-registered residents (户籍人口)
    ID      INTEGER PRIMARY KEY,     -- record number, stable across updates
    GMSFHM  TEXT,                    -- identity number
    XM      TEXT,                    -- name
    XBDM    TEXT,                    -- gender code (GB/T 2261.1)
    CSRQ    TEXT,                    -- birth date
    HH      TEXT,                    -- household number
    YHZGXDM TEXT,                    -- relation to household head code
    HJDZ    TEXT,                    -- registered address
    HJDZQH  TEXT,                    -- division code of the registered address
    LXDH    TEXT,                    -- phone
    DJRQ    TEXT,                    -- registration date
    ZXRQ    TEXT,                    -- deregistration date
    ZXYY    TEXT,                    -- deregistration reason
    GXSJ    TEXT                     -- last update time
);

CREATE TABLE LDRK (                  -- floating residents (流动人口)
    ID      INTEGER PRIMARY KEY,
    GMSFHM  TEXT,                    -- identity number
    XM      TEXT,                    -- name
    XBDM    TEXT,                    -- gender code
    CSRQ    TEXT,                    -- birth date
    LXDH    TEXT,                    -- phone
    HJDZ    TEXT,                    -- address of origin
    XZZ     TEXT,                    -- current address in the city
    JZSY    TEXT,                    -- reason for residence
    FWCS    TEXT,                    -- employer or school
    DJRQ    TEXT,                    -- registration date
    YXQZ    TEXT,                    -- permit valid until
    GXSJ    TEXT                     -- last update time
);

CREATE TABLE JQ (                    -- incident reports (警情)
    ID      INTEGER PRIMARY KEY,
    JQBH    TEXT,                    -- incident number
    BJSJ    TEXT,                    -- report time
    JQLBDM  TEXT,                    -- category code
    JQXLMC  TEXT,                    -- sub-category name
    FSDZ    TEXT,                    -- address of occurrence
    JD      TEXT,                    -- longitude (WGS-84)
    WD      TEXT,                    -- latitude (WGS-84)
    SSPCS   TEXT,                    -- police station
    CZJG    TEXT,                    -- outcome
    SJRY    TEXT,                    -- identity numbers of persons involved, ;-separated
    GXSJ    TEXT                     -- last update time
);
