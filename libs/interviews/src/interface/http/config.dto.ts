import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { INTERVIEW_LANGUAGES } from '../../domain';

/** Validates the field whenever it is sent, null included (null is not "absent" for these). */
const Sent = () => ValidateIf((_, value) => value !== undefined);

export class SkillDto {
  @ApiProperty({ example: 'React' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'Must be proficient in React Context API' })
  @Sent()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class CustomQuestionDto {
  @ApiProperty({ example: 'What are your strengths and weaknesses?' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  question: string;

  @ApiPropertyOptional({ description: 'Minutes, 1–4', minimum: 1, maximum: 4, default: 2, example: 2 })
  @Sent()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(4)
  time?: number;

  @ApiPropertyOptional({ enum: ['audio', 'text'], default: 'audio', example: 'audio' })
  @Sent()
  @IsIn(['audio', 'text'])
  type?: 'audio' | 'text';
}

/** micro1's "Update an interview" body (seed 002): every field optional, only those sent change. */
export class InterviewConfigDto {
  @ApiPropertyOptional({ type: String, example: 'Full Stack Engineer Interview', minLength: 1, maxLength: 200, nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  interview_name?: string | null;

  @ApiPropertyOptional({ type: [SkillDto], maxItems: 10, description: 'Required skills for the interview (max 10)' })
  @Sent()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SkillDto)
  skills?: SkillDto[];

  @ApiPropertyOptional({ type: [CustomQuestionDto], maxItems: 20, description: 'Custom questions (max 20)' })
  @Sent()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CustomQuestionDto)
  custom_question_list?: CustomQuestionDto[];

  @ApiPropertyOptional({ enum: INTERVIEW_LANGUAGES, default: 'en', example: 'en' })
  @Sent()
  @IsIn(INTERVIEW_LANGUAGES)
  interview_language?: string;

  @ApiPropertyOptional({ default: false })
  @Sent()
  @IsBoolean()
  can_change_interview_language?: boolean;

  @ApiPropertyOptional({ default: false })
  @Sent()
  @IsBoolean()
  only_coding_round?: boolean;

  @ApiPropertyOptional({ default: false })
  @Sent()
  @IsBoolean()
  is_coding_round_required?: boolean;

  @ApiPropertyOptional({ type: String, example: 'python', nullable: true, description: 'Required when a coding round is on' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  selected_coding_language?: string | null;

  @ApiPropertyOptional({
    type: String,
    maxLength: 2000,
    nullable: true,
    example: 'Make the DSA problem extremely difficult and focus on a problem that will require recursion to solve efficiently.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  coding_exercise_details?: string | null;

  @ApiPropertyOptional({ default: true })
  @Sent()
  @IsBoolean()
  is_proctoring_required?: boolean;
}

/** The seed's documented request body (micro1, "Update an interview"). */
export const SEED_UPDATE_EXAMPLE = {
  interview_name: 'Full Stack Engineer Interview',
  skills: [{ name: 'React', description: 'Must be proficient in React Context API' }],
  custom_question_list: [{ question: 'What are your strengths and weaknesses?', time: 2, type: 'audio' }],
  interview_language: 'en',
  can_change_interview_language: false,
  only_coding_round: false,
  is_coding_round_required: false,
  selected_coding_language: 'python',
  coding_exercise_details:
    'Make the DSA problem extremely difficult and focus on a problem that will require recursion to solve efficiently.',
  is_proctoring_required: true,
};
