-- No hidden incident count of mart_security_trend_monthly can be worked out
-- from the cells it shows: a district sums its streets, a street its
-- communities, a community its grids (or more), an 'all' row its categories
-- (protect_hidden_cells). Any row returned names a group whose hidden cells
-- subtraction or addition would tell.

{{ hidden_counts_recoverable(
    ref('mart_security_trend_monthly'),
    {
        'in_district': [
            "place_level = 'street'", "place_level = 'district'",
            ['month_start_date', 'category_code', 'district_code', 'district_name'],
        ],
        'in_street': [
            "place_level = 'community'", "place_level = 'street'",
            ['month_start_date', 'category_code', 'district_code', 'district_name', 'street_code', 'street_name'],
        ],
        'in_community': [
            "place_level = 'grid'", "place_level = 'community'",
            ['month_start_date', 'category_code', 'district_code', 'district_name', 'street_code', 'street_name', 'community_code', 'community_name'],
        ],
        'in_categories': [
            "category_code <> 'all'", "category_code = 'all'",
            ['month_start_date', 'place_key'],
        ],
    },
    ['incident_count'],
) }}
