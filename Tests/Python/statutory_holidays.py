#!/usr/bin/env python3
"""The statutory holidays of 《全国年节及纪念日放假办法》 (2024) for the years given, computed
independently of Dudao: lunar dates with `lunardate`, the 清明 solar term with `ephem`
(the sun's apparent ecliptic longitude of date reaching 15°, converted to China time).
Prints {"YEAR": {"name": ["YYYY-MM-DD", ...]}} as JSON."""
import datetime, json, sys

import ephem
from lunardate import LunarDate


def qingming(year):
    lo, hi = ephem.Date(f"{year}/4/1"), ephem.Date(f"{year}/4/8")
    while hi - lo > 1 / 86400:
        mid = ephem.Date((lo + hi) / 2)
        lon = ephem.Ecliptic(ephem.Sun(mid), epoch=mid).lon * 180 / ephem.pi
        lo, hi = (mid, hi) if lon < 15 else (lo, mid)
    china = ephem.Date(hi + 8 * ephem.hour).datetime()
    return china.date()


def solar(year, month, day):
    d = LunarDate(year, month, day)
    return d.to_solar_date() if hasattr(d, "to_solar_date") else d.toSolarDate()


def holidays(year):
    day = datetime.date
    new_year = solar(year, 1, 1)
    return {
        "元旦": [day(year, 1, 1)],
        "春节": [new_year + datetime.timedelta(days=k) for k in range(-1, 3)],
        "清明节": [qingming(year)],
        "劳动节": [day(year, 5, 1), day(year, 5, 2)],
        "端午节": [solar(year, 5, 5)],
        "中秋节": [solar(year, 8, 15)],
        "国庆节": [day(year, 10, k) for k in (1, 2, 3)],
    }


years = [int(y) for y in sys.argv[1:]]
print(json.dumps({str(y): {k: [d.isoformat() for d in v] for k, v in holidays(y).items()} for y in years}, ensure_ascii=False))
