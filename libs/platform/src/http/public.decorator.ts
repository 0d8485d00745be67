import { SetMetadata } from '@nestjs/common';

/** Auth is on by default (identity's global guard); a route opts out with @Public(). */
export const IS_PUBLIC = 'platform:isPublic';
export const Public = () => SetMetadata(IS_PUBLIC, true);
