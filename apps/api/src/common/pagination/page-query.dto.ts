import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;
// Far beyond any real list; keeps page × per_page a plain integer for the OFFSET.
const MAX_PAGE = 1_000_000;

/** `?page&per_page` of every page-based list (SPEC §6): out-of-range values are a 400, never clamped. */
export class PageQueryDto {
  @ApiProperty({ required: false, minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiProperty({ required: false, minimum: 1, maximum: MAX_PER_PAGE, default: DEFAULT_PER_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PER_PAGE)
  per_page: number = DEFAULT_PER_PAGE;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
  pages: number;
  has_next: boolean;
  has_prev: boolean;
}

export function pageOf<T>(items: T[], total: number, query: PageQueryDto): Page<T> {
  const pages = Math.ceil(total / query.per_page);
  return {
    items,
    total,
    page: query.page,
    per_page: query.per_page,
    pages,
    has_next: query.page < pages,
    has_prev: query.page > 1,
  };
}

export function offsetOf(query: PageQueryDto): number {
  return (query.page - 1) * query.per_page;
}

/** The paging fields of every page-based list response; subclasses add a typed `items`. */
export class PageMetaDto {
  @ApiProperty({ example: 1 })
  total: number;

  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: DEFAULT_PER_PAGE })
  per_page: number;

  @ApiProperty({ example: 1 })
  pages: number;

  @ApiProperty()
  has_next: boolean;

  @ApiProperty()
  has_prev: boolean;
}
