{{ utilization_by_user_group('department') }}
